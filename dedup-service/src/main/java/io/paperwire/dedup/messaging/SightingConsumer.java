package io.paperwire.dedup.messaging;

import io.opentelemetry.api.trace.Tracer;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.support.tracing.BatchTraces;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.paperwire.dedup.health.ConsolidationProgress;
import io.paperwire.dedup.health.ConsumerHealth;
import io.paperwire.dedup.health.InfrastructureProbe;
import io.paperwire.dedup.service.ConsolidationService;
import io.paperwire.dedup.service.ConsolidationService.Input;
import io.paperwire.dedup.service.RaceSafeConsolidation;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.SightingLimits;
import io.paperwire.support.kafka.OutageBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Thin adapter from {@code paper.sightings.v1} to {@link RaceSafeConsolidation}, a poll's worth of records at a time.
 * The batch is acknowledged (its offsets committed) only after its invalid records are in the DLQ, the catalogue
 * transaction committed and then Kafka acknowledged every changed paper's new state. Two kinds of failure are told
 * apart: a bad record (not a valid event, over the contract's limits, refused by PostgreSQL or Kafka for its data, or
 * failing alike again and again while both answer) goes to the DLQ with the reason and the rest of the batch goes on;
 * an outage (database down, broker not acknowledging) is retried here with backoff without limit, holding the
 * partitions and turning readiness down, so nothing is dropped and nothing skips ahead.
 */
@ApplicationScoped
public class SightingConsumer {

    private static final Logger LOG = Logger.getLogger(SightingConsumer.class);
    /** Alike failures, while PostgreSQL and Kafka answer, after which a failure of unknown class is the records' own. */
    static final int IDENTICAL_FAILURES = 3;
    /** Records of one batch that may be dead-lettered for failures of unknown class; see {@link Blame}. */
    public static final int MAX_UNKNOWN_DEAD_LETTERS = 3;
    /** Records of one batch that may be dead-lettered for data the database refused; see {@link Blame}. */
    static final int MAX_DATABASE_DEAD_LETTERS = 10;
    private static final String UNKNOWN_PREFIX = "failed ";

    private final RaceSafeConsolidation consolidation;
    private final ConsolidatedPublisher publisher;
    private final DeadLetterPublisher deadLetters;
    private final ConsumerHealth health;
    private final ConsolidationProgress progress;
    private final InfrastructureProbe probe;
    private final MeterRegistry metrics;
    private final DistributionSummary batchSize;
    private final Timer batchLatency;
    private final Tracer tracer;

    public SightingConsumer(RaceSafeConsolidation consolidation, ConsolidatedPublisher publisher,
            DeadLetterPublisher deadLetters, @org.eclipse.microprofile.health.Readiness ConsumerHealth health,
            ConsolidationProgress progress, InfrastructureProbe probe, MeterRegistry metrics, Tracer tracer) {
        this.probe = probe;
        this.tracer = tracer;
        this.consolidation = consolidation;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.health = health;
        this.progress = progress;
        this.metrics = metrics;
        this.batchSize = DistributionSummary.builder("paperwire.dedup.batch.size")
                // A few fixed buckets: a percentile histogram here was 276 series, a tenth of a core to scrape at 10 Hz.
                .description("Records per consumed batch").serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1000).register(metrics);
        this.batchLatency = Timer.builder("paperwire.dedup.batch.duration")
                .description("From a batch's arrival until its states are committed and acknowledged by Kafka")
                .publishPercentileHistogram().register(metrics);
        // Registered up front, so dashboards and alerts see a zero rather than no series at all.
        // (paperwire.dedup.sightings.consolidated is ConsolidationProgress's.)
        for (String counter : new String[] {"paperwire.dedup.dead.letters", "paperwire.dedup.retries", "paperwire.dedup.sightings.consumed",
                "paperwire.dedup.papers.created", "paperwire.dedup.merges", "paperwire.dedup.duplicates.dropped", "paperwire.dedup.races"}) {
            metrics.counter(counter);
        }
    }

    @Incoming(Channels.SIGHTINGS_IN)
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<byte[], byte[]> records) throws Exception {
        // One span per document's trace in the batch; each paper's new state is sent under its sighting's span.
        try (BatchTraces traces = BatchTraces.start(tracer, "consolidate " + PaperTopic.SIGHTINGS.topicName(), records)) {
            consume(records, traces);
        }
    }

    private void consume(ConsumerRecords<byte[], byte[]> records, BatchTraces traces) throws Exception {
        Timer.Sample started = Timer.start(metrics);
        batchSize.record(records.count());
        metrics.counter("paperwire.dedup.sightings.consumed").increment(records.count());
        List<Pending> valid = new ArrayList<>(records.count());
        List<DeadLetterPublisher.DeadLetter> invalid = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                valid.add(new Pending(r, new Input(eventId(r), parse(r.value()))));
            } catch (InvalidSightingException e) {
                invalid.add(new DeadLetterPublisher.DeadLetter(r, e));
            }
        }
        if (!invalid.isEmpty()) {
            untilDone(() -> deadLetter(invalid));
        }
        // Segments still to fold, in record order. A segment that fails because of its records is split in halves
        // until the record at fault stands alone and goes to the DLQ; the rest are folded as usual, in order, so one
        // bad record costs a few extra transactions and never stops the partition.
        Deque<List<Pending>> segments = new ArrayDeque<>();
        if (!valid.isEmpty()) {
            segments.add(valid);
        }
        Blame blame = new Blame();
        while (!segments.isEmpty()) {
            List<Pending> segment = segments.removeFirst();
            String fault = fold(segment, blame, traces);
            if (fault == null) {
                continue;
            }
            if (segment.size() == 1) {
                Pending bad = segment.get(0);
                untilDone(() -> deadLetter(List.of(new DeadLetterPublisher.DeadLetter(bad.record(), new InvalidSightingException(fault, null)))));
                blame.deadLettered(fault);
            } else {
                int half = segment.size() / 2;
                segments.addFirst(segment.subList(half, segment.size()));
                segments.addFirst(segment.subList(0, half));
            }
        }
        health.recovered();
        started.stop(batchLatency);
    }

    /** A failure while publishing a batch that is already committed. */
    private static final class PublishFailure extends RuntimeException {
        PublishFailure(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** One record and the event read from it. */
    private record Pending(ConsumerRecord<byte[], byte[]> record, Input input) {
    }

    /**
     * How many records of this batch were dead-lettered on a failure's evidence alone. Records can be at fault that way
     * (odd data meeting the database, or a bug), but when many fail alike the cause is more likely the system: a
     * schema change half rolled out makes every insert break a constraint, an outage the probe cannot see repeats the
     * same error. Beyond {@link #MAX_UNKNOWN_DEAD_LETTERS} records for failures of no known class, or
     * {@link #MAX_DATABASE_DEAD_LETTERS} for data the database refused, the batch is retried as an outage (readiness
     * down, the error in the log) instead of being drained into the DLQ. Records refused by the contract's own check or
     * by Kafka for their size are not counted: those are certainly the records'.
     */
    private static final class Blame {
        int unknown;
        int database;

        void deadLettered(String fault) {
            if (fault.startsWith(UNKNOWN_PREFIX)) {
                unknown++;
            } else if (fault.startsWith(RecordFaults.DATABASE_PREFIX)) {
                database++;
            }
        }

        boolean mayBlameRecords() {
            return unknown < MAX_UNKNOWN_DEAD_LETTERS;
        }

        boolean mayBlameData() {
            return database < MAX_DATABASE_DEAD_LETTERS;
        }
    }

    /**
     * Folds and publishes a segment, retrying an outage without limit; returns null when done, or why the segment's
     * records are at fault: by the failure's class ({@link RecordFaults}), or because the same failure repeated
     * {@link #IDENTICAL_FAILURES} times while PostgreSQL and Kafka answered.
     */
    private String fold(List<Pending> segment, Blame blame, BatchTraces traces) throws InterruptedException {
        List<Input> inputs = segment.stream().map(Pending::input).toList();
        OutageBackoff backoff = new OutageBackoff(LOG, "consolidating a batch of " + inputs.size() + " records");
        String previous = null;
        int identical = 0;
        while (true) {
            try {
                // Committed first, then published: a crash in between only means the redelivery finds its event ids
                // folded and publishes those papers' current states, so nothing is lost and no state is ever sent for
                // a paper the catalogue does not hold. Ordering across replicas: see ConsolidationService#publishCommitted.
                ConsolidationService.BatchOutcome outcome = consolidation.applyBatch(inputs);
                int published;
                try {
                    published = consolidation.publishCommitted(outcome, (states, merges) -> publisher.publishAndAwait(states, merges,
                            state -> traces.contextFor(state.titleFingerprint())));
                } catch (RuntimeException e) {
                    throw new PublishFailure(e);
                }
                // Done: stored and acknowledged by Kafka (what a load test or an operator counts as finished).
                progress.finished(inputs.size(), published + 2 * outcome.pendingMerges().size());
                return null;
            } catch (Exception e) {
                if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while consolidating");
                }
                String reason = rootMessage(e);
                boolean outage = RecordFaults.isOutage(e);
                String fault = outage ? null : RecordFaults.recordFault(e);
                if (e instanceof PublishFailure && (fault == null || fault.startsWith(RecordFaults.DATABASE_PREFIX))) {
                    // The batch is committed; only Kafka refusing a state is the records' fault. Anything else in
                    // publishing is retried without limit: a record dead-lettered now would leave its committed
                    // change off the topic.
                    outage = true;
                    fault = null;
                }
                if (fault != null) {
                    if (!fault.startsWith(RecordFaults.DATABASE_PREFIX) || blame.mayBlameData()) {
                        return fault;
                    }
                    outage = true; // more of the batch's data refused than records plausibly hold: the system's
                }
                identical = !outage && reason.equals(previous) ? identical + 1 : outage ? 0 : 1;
                previous = reason;
                if (identical >= IDENTICAL_FAILURES && blame.mayBlameRecords() && probe.healthy()) {
                    return UNKNOWN_PREFIX + identical + " times alike while PostgreSQL and Kafka answered: " + reason;
                }
                health.stalled(reason);
                metrics.counter("paperwire.dedup.retries").increment();
                backoff.failed(reason);
            }
        }
    }

    private void deadLetter(List<DeadLetterPublisher.DeadLetter> letters) throws Exception {
        deadLetters.sendAndAwait(letters);
        metrics.counter("paperwire.dedup.dead.letters").increment(letters.size());
        letters.forEach(d -> LOG.warnf("record %s-%d@%d sent to the DLQ: %s", d.record().topic(), d.record().partition(),
                d.record().offset(), d.reason().getMessage()));
    }

    /** A step that must happen before the batch is acknowledged: an outage is retried without limit. */
    private interface Step {
        void run() throws Exception;
    }

    private void untilDone(Step step) throws InterruptedException {
        OutageBackoff backoff = new OutageBackoff(LOG, "dead-lettering");
        while (true) {
            try {
                step.run();
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while dead-lettering"); // shutting down, not an outage
                }
                String reason = rootMessage(e);
                health.stalled(reason);
                metrics.counter("paperwire.dedup.retries").increment();
                backoff.failed(reason);
            }
        }
    }

    private static String eventId(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(CloudEvents.HEADER_ID);
        String id = h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        if (id == null || id.isBlank()) {
            throw new InvalidSightingException("record has no " + CloudEvents.HEADER_ID + " header", null);
        }
        return id;
    }

    private static PaperSighted parse(byte[] value) {
        if (value == null) {
            throw new InvalidSightingException("record has no value", null);
        }
        PaperSighted s;
        try {
            s = SightingLimits.withAuthorsCut(PaperEventsJson.mapper().readValue(value, PaperSighted.class));
        } catch (Exception e) {
            throw new InvalidSightingException("value is not a PaperSighted event: " + rootMessage(e), e);
        }
        // Ingest cleans and bounds every field; anything else that writes to the topic is held to the same contract.
        String violation = SightingLimits.violation(s);
        if (violation != null) {
            throw new InvalidSightingException("the sighting breaks the contract's limits: " + violation, null);
        }
        return s;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int cut = m.indexOf("\n");
        return cut > 0 ? m.substring(0, cut) : m;
    }
}
