package io.paperwire.support.kafka;

import io.paperwire.support.tracing.RecordTracing;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The Kafka producer the SmallRye connector made for an outgoing channel, for code that sends a batch itself and
 * waits for every acknowledgement: per message, the emitter's reactive pipeline cost more CPU than the work. The
 * producer keeps the channel's configuration (acks, idempotence, linger, serializers, the topic's ACLs).
 *
 * <p>The connector creates a channel's producer only for a channel something emits to, so the owner injects the
 * channel's emitter, never sends on it, and hands it over here: the constructor takes it to make that dependency a
 * parameter instead of a comment.
 */
public final class ChannelProducer<K, V> {

    private final KafkaClientService kafka;
    private final String channel;

    public ChannelProducer(MutinyEmitter<?> channelEmitter, KafkaClientService kafka, String channel) {
        Objects.requireNonNull(channelEmitter, "the channel's emitter (it makes the connector create the producer)");
        this.kafka = kafka;
        this.channel = channel;
    }

    /** Sends every record and returns once Kafka acknowledged all of them; {@link NotAcknowledgedException} otherwise. */
    public void sendAll(List<ProducerRecord<K, V>> records, Duration timeout, String what) {
        for (ProducerRecord<K, V> r : records) {
            // The caller's trace (an HTTP request, a poll, a consumed batch) travels with each record.
            RecordTracing.inject(r.headers());
        }
        Acknowledgements.await(send(records), timeout, what);
    }

    /** Sends every record as it is (each already carries its own trace, if any); the acknowledgements to await. */
    public List<Future<RecordMetadata>> send(List<ProducerRecord<K, V>> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        Producer<K, V> producer = kafka.<K, V>getProducer(channel).unwrap();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<K, V> r : records) {
            acks.add(producer.send(r));
        }
        return acks;
    }
}
