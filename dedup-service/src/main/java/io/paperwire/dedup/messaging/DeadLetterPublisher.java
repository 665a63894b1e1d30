package io.paperwire.dedup.messaging;

import io.paperwire.support.kafka.Acknowledgements;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.OnOverflow;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.paperwire.events.CloudEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends records that are not valid events to {@code paper.sightings.v1.dlq} exactly as received (key, value and
 * headers as bytes), adding why and where from, and waits for Kafka's ack: the batch that held them is acknowledged
 * only afterwards, so a dead letter is never lost between the two topics.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    public static final String HEADER_TOPIC = "dead-letter-topic";
    public static final String HEADER_PARTITION = "dead-letter-partition";
    public static final String HEADER_OFFSET = "dead-letter-offset";
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REASON = 1_000;

    /** A record and why it cannot be consolidated. */
    public record DeadLetter(ConsumerRecord<byte[], byte[]> record, InvalidSightingException reason) {
    }

    private final MutinyEmitter<Record<byte[], byte[]>> emitter;

    public DeadLetterPublisher(@Channel(Channels.DEAD_LETTERS_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
            MutinyEmitter<Record<byte[], byte[]>> emitter) {
        this.emitter = emitter;
    }

    public void sendAndAwait(List<DeadLetter> letters) throws Exception {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (DeadLetter d : letters) {
            ConsumerRecord<byte[], byte[]> r = d.record();
            RecordHeaders headers = new RecordHeaders();
            for (Header h : r.headers()) {
                headers.add(h.key(), h.value());
            }
            headers.add(CloudEvents.HEADER_DLQ_REASON, utf8(bounded(d.reason().getMessage())));
            if (d.reason().getCause() != null) {
                headers.add(CloudEvents.HEADER_DLQ_CAUSE, utf8(d.reason().getCause().getClass().getName()));
            }
            headers.add(HEADER_TOPIC, utf8(r.topic()));
            headers.add(HEADER_PARTITION, utf8(Integer.toString(r.partition())));
            headers.add(HEADER_OFFSET, utf8(Long.toString(r.offset())));
            acks.add(emitter.sendMessage(Message.of(Record.of(r.key(), r.value()))
                            .addMetadata(OutgoingKafkaRecordMetadata.<byte[]>builder().withHeaders(headers).build()))
                    .subscribeAsCompletionStage());
        }
        Acknowledgements.await(acks, ACK_TIMEOUT, "dead letters");
    }

    /** A reason is for people reading the DLQ: the first 1,000 characters say it (an error can quote a whole statement). */
    private static String bounded(String reason) {
        return reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "...";
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
