package io.paperwire.dedup.messaging;

import io.opentelemetry.context.Context;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperMerged;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.support.kafka.Acknowledgements;
import io.paperwire.support.kafka.ChannelProducer;
import io.paperwire.support.kafka.CloudEventHeaders;
import io.paperwire.support.tracing.RecordTracing;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends papers' whole states to {@code paper.consolidated.v1}, keyed by paper id, and waits until Kafka acknowledged
 * all of them. A batch's records are handed to the producer in order, so each paper's events keep their order on its
 * partition. The event id is (paper id, revision): sending the same state twice yields the same event. The records go
 * straight to the channels' own producers ({@link ChannelProducer}): per record, the emitters' reactive pipeline and
 * context propagation cost more than the send.
 */
@ApplicationScoped
public class ConsolidatedPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
    private static final String TOPIC = PaperTopic.CONSOLIDATED.topicName();
    private final ChannelProducer<String, PaperConsolidated> states;
    private final ChannelProducer<String, PaperMerged> merges;
    private final OutsideTransaction outsideTransaction;

    public ConsolidatedPublisher(@Channel(Channels.CONSOLIDATED_OUT) MutinyEmitter<PaperConsolidated> statesChannel,
            @Channel(Channels.MERGES_OUT) MutinyEmitter<PaperMerged> mergesChannel, KafkaClientService kafka,
            OutsideTransaction outsideTransaction) {
        this.states = new ChannelProducer<>(statesChannel, kafka, Channels.CONSOLIDATED_OUT);
        this.merges = new ChannelProducer<>(mergesChannel, kafka, Channels.MERGES_OUT);
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
    public void publishAndAwait(List<PaperConsolidated> sent, List<PaperMerged> merged, Function<PaperConsolidated, Context> traceOf) {
        outsideTransaction.run(() -> {
            List<ProducerRecord<String, PaperConsolidated>> records = new ArrayList<>(sent.size());
            for (PaperConsolidated state : sent) {
                Headers headers = RecordTracing.inject(traceOf.apply(state), CloudEventHeaders.of(state.paperId() + "/" + state.revision(),
                        CloudEvents.TYPE_PAPER_CONSOLIDATED, "/paperwire/dedup", state.updatedAt(), state.paperId(),
                        CloudEvents.SCHEMA_PAPER_CONSOLIDATED));
                records.add(new ProducerRecord<>(TOPIC, null, state.paperId(), state, headers));
            }
            List<Future<?>> acks = new ArrayList<>(states.send(records));
            acks.addAll(merges.send(merged.stream().flatMap(m -> announcement(m).stream()).toList()));
            Acknowledgements.await(acks, ACK_TIMEOUT, "consolidated events");
        });
    }

    /**
     * Tells downstream an absorbed paper is gone: a merged-into event, then a tombstone, both under its key (one
     * partition, so in this order), so a compacted topic eventually forgets it.
     */
    private static List<ProducerRecord<String, PaperMerged>> announcement(PaperMerged merged) {
        Headers headers = CloudEventHeaders.of(merged.paperId() + "/merged", CloudEvents.TYPE_PAPER_MERGED, "/paperwire/dedup",
                merged.mergedAt(), merged.paperId(), CloudEvents.SCHEMA_PAPER_MERGED);
        return List.of(new ProducerRecord<>(TOPIC, null, merged.paperId(), merged, headers),
                new ProducerRecord<>(TOPIC, merged.paperId(), null));
    }
}
