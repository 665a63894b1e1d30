package io.paperwire.dedup.messaging;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperMerged;
import io.smallrye.reactive.messaging.kafka.Record;
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
    private final MutinyEmitter<Record<String, PaperMerged>> merges;

    public ConsolidatedPublisher(@Channel(Channels.CONSOLIDATED_OUT) MutinyEmitter<PaperConsolidated> emitter,
            @Channel(Channels.MERGES_OUT) MutinyEmitter<Record<String, PaperMerged>> merges) {
        this.emitter = emitter;
        this.merges = merges;
    }

    /**
     * Tells downstream an absorbed paper is gone: a merged-into event, then a tombstone, both under its key (one
     * partition, so in this order), so a compacted topic eventually forgets it.
     */
    public void announceMergeAndAwait(PaperMerged merged) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.headers(merged.paperId() + "/merged", CloudEvents.TYPE_PAPER_MERGED, "/paperwire/dedup",
                        merged.mergedAt(), merged.paperId(), CloudEvents.SCHEMA_PAPER_MERGED)
                .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        merges.sendMessage(Message.of(Record.of(merged.paperId(), merged))
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers).build()))
                .await().atMost(ACK_TIMEOUT);
        merges.sendMessage(Message.of(Record.<String, PaperMerged>of(merged.paperId(), null))).await().atMost(ACK_TIMEOUT);
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
