package io.paperwire.dedup.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.paperwire.support.db.SqlStates;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs {@link ConsolidationService} so that a race with another replica ends in one paper, never two. The identity
 * locks make most races wait; what remains is settled by the database: a unique constraint rejects the loser of a
 * creation race (arXiv id, DOI, event id), or PostgreSQL breaks a deadlock between two batches locking the same
 * papers in different orders. Either way the loser's whole transaction rolls back and it simply runs the batch again,
 * now finding the winner's papers. A separate bean because the retry must wrap the transaction, not run inside it.
 */
@ApplicationScoped
public class RaceSafeConsolidation {

    static final int ATTEMPTS = 5;

    private final ConsolidationService consolidation;
    private final MeterRegistry metrics;

    public RaceSafeConsolidation(ConsolidationService consolidation, MeterRegistry metrics) {
        this.consolidation = consolidation;
        this.metrics = metrics;
    }

    /** {@link ConsolidationService#applyBatch(List)}, run again after a lost race. */
    public ConsolidationService.BatchOutcome applyBatch(List<ConsolidationService.Input> batch) {
        return untilWon(() -> consolidation.applyBatch(batch));
    }

    /**
     * {@link ConsolidationService#publishCommitted}, run again after a deadlock: its share locks can meet another
     * batch's commit that holds some of the same rows.
     */
    public int publishCommitted(ConsolidationService.BatchOutcome outcome, ConsolidationService.Sender sender) {
        return untilWon(() -> consolidation.publishCommitted(outcome, sender));
    }

    private <T> T untilWon(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isRace(e)) {
                    throw e;
                }
                metrics.counter("paperwire.dedup.races").increment();
            }
        }
    }

    static boolean isRace(Throwable e) {
        return SqlStates.any(e, SqlStates.LOST_RACE);
    }
}
