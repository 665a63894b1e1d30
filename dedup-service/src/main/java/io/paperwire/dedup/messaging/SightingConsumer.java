package io.paperwire.dedup.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.dedup.service.ConsolidationService;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperSighted;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Thin adapter from {@code paper.sightings.v1} to {@link ConsolidationService}. The record is acknowledged
 * (its offset committed) only after the catalogue transaction committed and Kafka acknowledged the paper's new
 * state; a record that is not a valid event throws, and the failure strategy sends it to the DLQ with the reason.
 */
@ApplicationScoped
public class SightingConsumer {

    private final ConsolidationService consolidation;
    private final ConsolidatedPublisher publisher;
    private final ObjectMapper json;

    public SightingConsumer(ConsolidationService consolidation, ConsolidatedPublisher publisher, ObjectMapper json) {
        this.consolidation = consolidation;
        this.publisher = publisher;
        this.json = json;
    }

    @Incoming(Channels.SIGHTINGS_IN)
    @Blocking(ordered = true)
    public void consume(String value, IncomingKafkaRecordMetadata<String, String> record) {
        String eventId = header(record, CloudEvents.HEADER_ID);
        if (eventId == null || eventId.isBlank()) {
            throw new InvalidSightingException("record has no " + CloudEvents.HEADER_ID + " header", null);
        }
        PaperSighted sighting = parse(value);
        PaperConsolidated state = consolidation.apply(eventId, sighting);
        publisher.publishAndAwait(state);
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
