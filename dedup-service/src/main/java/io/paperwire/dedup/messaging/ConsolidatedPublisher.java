package io.paperwire.dedup.messaging;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends a paper's whole state to {@code paper.consolidated.v1}, keyed by paper id, and waits for the ack.
 * The event id is (paper id, revision): sending the same state twice yields the same event.
 */
@ApplicationScoped
public class ConsolidatedPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
    private final MutinyEmitter<PaperConsolidated> emitter;

    public ConsolidatedPublisher(@Channel(Channels.CONSOLIDATED_OUT) MutinyEmitter<PaperConsolidated> emitter) {
        this.emitter = emitter;
    }

    public void publishAndAwait(PaperConsolidated state) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.headers(state.paperId() + "/" + state.revision(), CloudEvents.TYPE_PAPER_CONSOLIDATED,
                        "/paperwire/dedup", state.updatedAt(), state.paperId(), CloudEvents.SCHEMA_PAPER_CONSOLIDATED)
                .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        emitter.sendMessage(Message.of(state).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(state.paperId()).withHeaders(headers).build()))
                .await().atMost(ACK_TIMEOUT);
    }
}
