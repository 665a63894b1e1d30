package io.paperwire.dedup.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.paperwire.dedup.service.ConsolidationService;
import io.paperwire.dedup.service.RaceSafeConsolidation;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperMerged;
import io.paperwire.events.PaperSighted;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Thin adapter from {@code paper.sightings.v1} to {@link RaceSafeConsolidation}. The record is acknowledged
 * (its offset committed) only after the catalogue transaction committed and Kafka acknowledged the paper's new
 * state. Two kinds of failure are told apart: a record that is not a valid event throws, and the failure
 * strategy sends it to the DLQ with the reason; an infrastructure failure (database down, broker not
 * acknowledging, a unique-key race with another replica) is retried here with backoff, holding the partition
 * and turning readiness down, so nothing is dropped and nothing skips ahead.
 */
@ApplicationScoped
public class SightingConsumer {

    private static final Logger LOG = Logger.getLogger(SightingConsumer.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    private final RaceSafeConsolidation consolidation;
    private final ConsolidationService service;
    private final ConsolidatedPublisher publisher;
    private final ObjectMapper json;
    private final ConsumerHealth health;
    private final MeterRegistry metrics;

    public SightingConsumer(RaceSafeConsolidation consolidation, ConsolidationService service, ConsolidatedPublisher publisher, ObjectMapper json,
            @org.eclipse.microprofile.health.Readiness ConsumerHealth health, MeterRegistry metrics) {
        this.consolidation = consolidation;
        this.service = service;
        this.publisher = publisher;
        this.json = json;
        this.health = health;
        this.metrics = metrics;
    }

    @Incoming(Channels.SIGHTINGS_IN)
    @Blocking(ordered = true)
    public void consume(String value, IncomingKafkaRecordMetadata<String, String> record) throws InterruptedException {
        metrics.counter("paperwire.dedup.sightings.consumed").increment();
        String eventId = header(record, CloudEvents.HEADER_ID);
        if (eventId == null || eventId.isBlank()) {
            metrics.counter("paperwire.dedup.dead.letters").increment();
            throw new InvalidSightingException("record has no " + CloudEvents.HEADER_ID + " header", null);
        }
        PaperSighted sighting;
        try {
            sighting = parse(value);
        } catch (InvalidSightingException e) {
            metrics.counter("paperwire.dedup.dead.letters").increment();
            throw e;
        }
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                ConsolidationService.Outcome outcome = consolidation.apply(eventId, sighting);
                publisher.publishAndAwait(outcome.state());
                for (PaperMerged merged : outcome.pendingMerges()) {
                    publisher.announceMergeAndAwait(merged);
                    service.announced(merged.paperId());
                }
                health.recovered();
                return;
            } catch (RuntimeException e) {
                String reason = rootMessage(e);
                health.stalled(reason);
                metrics.counter("paperwire.dedup.retries").increment();
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("consolidating %s (partition %d, offset %d) failed, retrying with backoff: %s",
                            eventId, record.getPartition(), record.getOffset(), reason);
                }
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private PaperSighted parse(String value) {
        if (value == null) {
            throw new InvalidSightingException("record has no value", null);
        }
        try {
            return json.readValue(value, PaperSighted.class);
        } catch (Exception e) {
            throw new InvalidSightingException("value is not a PaperSighted event: " + rootMessage(e), e);
        }
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

    private static String header(IncomingKafkaRecordMetadata<String, String> record, String name) {
        Header h = record.getHeaders().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
