package io.paperwire.dedup.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far behind the catalogue search is: the projection's lag is the age of the oldest state in its last committed
 * batch (from Kafka's record timestamp, set when dedup published it, to the commit), and while a batch is being applied
 * (or retried, the database away) the age of its oldest state now: a stalled projection's lag grows. Read by
 * {@code GET /api/v1/status} and the metrics {@code paperwire_dedup_search_*}.
 */
@Startup
@ApplicationScoped
public class SearchProgress {

    private final AtomicLong states = new AtomicLong();
    private final AtomicLong documents = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile long lagMillis;
    /** The publication time of the oldest state of the batch being applied; 0 between batches. */
    private volatile long applyingSince;
    private volatile Instant lastBatchAt;
    private volatile String stalledOn;

    public SearchProgress(MeterRegistry metrics) {
        FunctionCounter.builder("paperwire.dedup.search.states", states, AtomicLong::get)
                .description("Published states the search projection has applied").register(metrics);
        FunctionCounter.builder("paperwire.dedup.search.documents", documents, AtomicLong::get)
                .description("Search documents made (a state whose text did not change makes none)").register(metrics);
        FunctionCounter.builder("paperwire.dedup.search.skipped", skipped, AtomicLong::get)
                .description("Records of paper.consolidated.v1 that are not paper events, skipped").register(metrics);
        Gauge.builder("paperwire.dedup.search.lag.seconds", this, p -> p.lagMillis() / 1000.0)
                .description("Age of the oldest state in the search projection's last committed batch").register(metrics);
    }

    /** A batch arrived; {@code oldestRecordMillis} is when its oldest state was published. */
    public void applying(long oldestRecordMillis) {
        applyingSince = oldestRecordMillis;
    }

    /** The batch is committed: its records and the documents made. */
    public void applied(int records, int documentsMade) {
        Instant now = Instant.now();
        states.addAndGet(records);
        documents.addAndGet(documentsMade);
        lagMillis = Math.max(0, now.toEpochMilli() - applyingSince);
        applyingSince = 0;
        lastBatchAt = now;
        stalledOn = null;
    }

    public void skipped() {
        skipped.incrementAndGet();
    }

    public void stalled(String reason) {
        stalledOn = reason;
    }

    public long states() {
        return states.get();
    }

    public long documents() {
        return documents.get();
    }

    public long lagMillis() {
        long since = applyingSince;
        return since == 0 ? lagMillis : Math.max(lagMillis, System.currentTimeMillis() - since);
    }

    public Instant lastBatchAt() {
        return lastBatchAt;
    }

    /** Why the projection is retrying, or null. */
    public String stalledOn() {
        return stalledOn;
    }
}
