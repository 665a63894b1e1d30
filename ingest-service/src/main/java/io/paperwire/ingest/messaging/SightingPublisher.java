package io.paperwire.ingest.messaging;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperSighted;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends sightings to {@code paper.sightings.v1}, keyed by title fingerprint with CloudEvents headers, and
 * returns only when Kafka has acknowledged every one of them (acks=all): that is what a 202 promises.
 */
@ApplicationScoped
public class SightingPublisher {

    private final MutinyEmitter<PaperSighted> emitter;

    public SightingPublisher(@Channel(Channels.SIGHTINGS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
            MutinyEmitter<PaperSighted> emitter) {
        this.emitter = emitter;
    }

    /** A sighting with its event id, ready to send. */
    public record OutgoingSighting(String ceId, String ceSource, PaperSighted event) {
    }

    /** Sends all and waits for every acknowledgement; throws if any send fails or the timeout passes. */
    public void publishAll(List<OutgoingSighting> sightings, Duration timeout) {
        if (sightings.isEmpty()) {
            return;
        }
        List<Uni<Void>> acks = sightings.stream().map(this::send).toList();
        Uni.join().all(acks).andFailFast().await().atMost(timeout);
    }

    private Uni<Void> send(OutgoingSighting s) {
        PaperSighted e = s.event();
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.headers(s.ceId(), CloudEvents.TYPE_PAPER_SIGHTED, s.ceSource(), e.observedAt(),
                        e.titleFingerprint(), CloudEvents.SCHEMA_PAPER_SIGHTED)
                .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(e.titleFingerprint())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(e).addMetadata(meta));
    }
}
