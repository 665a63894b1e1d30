package io.paperwire.dedup.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.paperwire.events.PaperSighted;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;

/**
 * Runs {@link ConsolidationService#apply} so that a race with another replica ends in one paper, never two:
 * when both try to create the paper for one arXiv id or DOI (or to record one event id), the database's unique
 * constraint rejects the loser's whole transaction, and the loser simply resolves again, now finding the
 * winner's paper. A separate bean because the retry must wrap the transaction, not run inside it.
 */
@ApplicationScoped
public class RaceSafeConsolidation {

    static final int ATTEMPTS = 5;
    private static final String UNIQUE_VIOLATION = "23505";

    private final ConsolidationService consolidation;
    private final MeterRegistry metrics;

    public RaceSafeConsolidation(ConsolidationService consolidation, MeterRegistry metrics) {
        this.consolidation = consolidation;
        this.metrics = metrics;
    }

    public ConsolidationService.Outcome apply(String eventId, PaperSighted sighting) {
        for (int attempt = 1; ; attempt++) {
            try {
                return consolidation.apply(eventId, sighting);
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isUniqueViolation(e)) {
                    throw e;
                }
                metrics.counter("paperwire.dedup.races").increment();
            }
        }
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
