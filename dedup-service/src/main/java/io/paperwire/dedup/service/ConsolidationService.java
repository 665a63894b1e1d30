package io.paperwire.dedup.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.paperwire.dedup.repository.CatalogJdbc;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperMerged;
import io.paperwire.events.PaperSighted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Folds a batch of sightings into the catalogue in one transaction and returns the state of every paper the batch
 * touched; then, once that is committed, publishes those states under row locks that keep each paper's states in
 * commit order. Publishing only committed states is what rules out phantom papers: a crash can no longer leave a
 * state on the topic for a paper the catalogue never stored. An event id that was already folded changes nothing but
 * puts its paper's current state in the result, so that the caller (re)sends it: that is what makes a crash between
 * commit and send harmless.
 */
@ApplicationScoped
public class ConsolidationService {

    /**
     * The publishing transaction's time-out: longer than the wait for Kafka's acknowledgements (60 s), so that the
     * transaction manager never releases the row locks while a record sent under them may still be delivered.
     */
    static final int PUBLISH_TRANSACTION_SECONDS = 120;

    private final CatalogJdbc jdbc;
    private final MeterRegistry metrics;
    private final Clock clock;

    public ConsolidationService(CatalogJdbc jdbc, MeterRegistry metrics, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    /** One sighting of a batch with its CloudEvents id. */
    public record Input(String eventId, PaperSighted sighting) {
    }

    /**
     * The states to publish (one per paper, its latest), the merge announcements owed, and what the batch did:
     * sightings folded, duplicates dropped, papers created, merges.
     */
    public record BatchOutcome(List<PaperConsolidated> states, List<PaperMerged> pendingMerges, int folded, int duplicates,
            int created, int merges) {
    }

    /** Folds the batch and commits it; nothing is published here (see {@link #publishCommitted}). */
    @Transactional
    public BatchOutcome applyBatch(List<Input> batch) {
        jdbc.lockIdentities(IdentityLocks.keys(batch.stream().map(Input::sighting).toList()));
        Map<String, UUID> alreadyFolded = jdbc.foldedEvents(batch.stream().map(Input::eventId).distinct().toList());
        // PostgreSQL keeps microseconds: a state re-sent from the database must equal the one first sent.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        BatchFold fold = new BatchFold(jdbc, now, alreadyFolded);
        fold.preload(batch.stream().filter(in -> !alreadyFolded.containsKey(in.eventId())).map(Input::sighting).toList(),
                alreadyFolded.values());
        for (Input in : batch) {
            fold.add(in.eventId(), in.sighting());
        }
        List<PaperConsolidated> states = fold.finish();
        metrics.counter("paperwire.dedup.papers.created").increment(fold.created);
        metrics.counter("paperwire.dedup.merges").increment(fold.merges);
        metrics.counter("paperwire.dedup.duplicates.dropped").increment(fold.duplicates);
        BatchOutcome outcome = new BatchOutcome(states, jdbc.pendingMerges(fold.papers()), fold.folded, fold.duplicates, fold.created,
                fold.merges);
        return outcome;
    }

    /** Sends states and merge announcements and returns once Kafka acknowledged all of them. */
    @FunctionalInterface
    public interface Sender {
        void sendAndAwait(List<PaperConsolidated> states, List<PaperMerged> merges);
    }

    /**
     * Publishes a committed batch's states, each only if it is still its paper's committed revision, and its merge
     * announcements, then records those as announced. The papers' rows are held {@code FOR SHARE} until Kafka
     * acknowledged: a batch of another replica (or of this one, after a restart) that changes one of them waits at
     * its commit, so a newer revision is never sent before an older one is acknowledged; and a state this batch
     * holds that a newer commit has overtaken, or whose paper was merged away, is not sent at all (whoever committed
     * the newer one sends it). Returns how many states were sent.
     */
    @Transactional
    @io.quarkus.narayana.jta.runtime.TransactionConfiguration(timeout = PUBLISH_TRANSACTION_SECONDS)
    public int publishCommitted(BatchOutcome outcome, Sender sender) {
        List<UUID> ids = outcome.states().stream().map(p -> UUID.fromString(p.paperId())).toList();
        Map<UUID, Long> committed = jdbc.lockCommittedRevisions(ids);
        List<PaperConsolidated> current = outcome.states().stream()
                .filter(p -> Long.valueOf(p.revision()).equals(committed.get(UUID.fromString(p.paperId())))).toList();
        int overtaken = outcome.states().size() - current.size();
        if (overtaken > 0) {
            metrics.counter("paperwire.dedup.states.overtaken").increment(overtaken);
        }
        sender.sendAndAwait(current, outcome.pendingMerges());
        for (PaperMerged m : outcome.pendingMerges()) {
            jdbc.markAnnounced(UUID.fromString(m.paperId()));
        }
        return current.size();
    }
}
