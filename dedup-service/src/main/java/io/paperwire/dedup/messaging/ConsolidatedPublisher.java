package io.paperwire.dedup.messaging;

import io.opentelemetry.context.Context;
import io.paperwire.support.tracing.RecordTracing;
import java.util.function.Function;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperMerged;
import io.paperwire.support.kafka.Acknowledgements;
import io.paperwire.support.kafka.CloudEventHeaders;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.OnOverflow;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends papers' whole states to {@code paper.consolidated.v1}, keyed by paper id, and waits until Kafka acknowledged
 * all of them. A batch's records are handed to the producer in order, so each paper's events keep their order on its
 * partition. The event id is (paper id, revision): sending the same state twice yields the same event.
 */
@ApplicationScoped
public class ConsolidatedPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
    private final MutinyEmitter<PaperConsolidated> emitter;
    private final MutinyEmitter<Record<String, PaperMerged>> merges;
    private final OutsideTransaction outsideTransaction;

    public ConsolidatedPublisher(
            @Channel(Channels.CONSOLIDATED_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<PaperConsolidated> emitter,
            @Channel(Channels.MERGES_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<Record<String, PaperMerged>> merges,
            OutsideTransaction outsideTransaction) {
        this.emitter = emitter;
        this.merges = merges;
        this.outsideTransaction = outsideTransaction;
    }

    /**
     * Sends the states, then each merge's merged-into event and tombstone, and waits for every ack. Callers publish
     * inside the transaction that holds the papers' rows (see ConsolidationService#publishCommitted); the sends
     * themselves run outside it ({@link OutsideTransaction}).
     */
    public void publishAndAwait(List<PaperConsolidated> states, List<PaperMerged> merged) {
        publishAndAwait(states, merged, state -> Context.root());
    }

    /** As above, each state sent under the trace of what caused it (its sighting's span), where there is one. */
    public void publishAndAwait(List<PaperConsolidated> states, List<PaperMerged> merged, Function<PaperConsolidated, Context> traceOf) {
        outsideTransaction.run(() -> {
            List<CompletableFuture<Void>> acks = new ArrayList<>(states.size() + 2 * merged.size());
            for (PaperConsolidated state : states) {
                acks.add(send(state, traceOf.apply(state)));
            }
            for (PaperMerged m : merged) {
                acks.addAll(announceMerge(m));
            }
            await(acks);
        });
    }

    private CompletableFuture<Void> send(PaperConsolidated state, Context trace) {
        Headers headers = RecordTracing.inject(trace, CloudEventHeaders.of(state.paperId() + "/" + state.revision(),
                CloudEvents.TYPE_PAPER_CONSOLIDATED, "/paperwire/dedup", state.updatedAt(), state.paperId(),
                CloudEvents.SCHEMA_PAPER_CONSOLIDATED));
        return emitter.sendMessage(Message.of(state).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(state.paperId()).withHeaders(headers).build()))
                .subscribeAsCompletionStage();
    }

    /**
     * Tells downstream an absorbed paper is gone: a merged-into event, then a tombstone, both under its key (one
     * partition, so in this order), so a compacted topic eventually forgets it.
     */
    private List<CompletableFuture<Void>> announceMerge(PaperMerged merged) {
        Headers headers = CloudEventHeaders.of(merged.paperId() + "/merged", CloudEvents.TYPE_PAPER_MERGED, "/paperwire/dedup",
                merged.mergedAt(), merged.paperId(), CloudEvents.SCHEMA_PAPER_MERGED);
        CompletableFuture<Void> event = merges.sendMessage(Message.of(Record.of(merged.paperId(), merged))
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers).build()))
                .subscribeAsCompletionStage();
        CompletableFuture<Void> tombstone = merges.sendMessage(Message.of(Record.<String, PaperMerged>of(merged.paperId(), null)))
                .subscribeAsCompletionStage();
        return List.of(event, tombstone);
    }

    private static void await(List<CompletableFuture<Void>> acks) {
        Acknowledgements.await(acks, ACK_TIMEOUT, "consolidated events");
    }
}
