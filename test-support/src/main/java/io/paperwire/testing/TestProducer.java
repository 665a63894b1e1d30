package io.paperwire.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends a raw record (string key and value, given headers) to the shared broker and waits for the ack. */
public final class TestProducer {

    private TestProducer() {
    }

    /** Sends records again exactly as they were (key, value, headers), in order, and waits for every ack. */
    public static void resend(List<ConsumerRecord<String, String>> records) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            var acks = new ArrayList<Future<?>>();
            for (var r : records) {
                acks.add(producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers())));
            }
            for (var ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not resend test records: " + e.getMessage(), e);
        }
    }

    /**
     * Sends records in one go (lingering so that they travel in one produce request and are appended together, as a
     * consumer then most likely reads them in one poll) and waits for every ack.
     */
    public static void sendTogether(List<ProducerRecord<String, String>> records) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 200);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            var acks = new ArrayList<Future<?>>();
            for (var r : records) {
                acks.add(producer.send(r));
            }
            for (var ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not send test records: " + e.getMessage(), e);
        }
    }

    public static void send(String topic, String key, String value, Map<String, String> headers) {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send a test record to " + topic + ": " + e.getMessage(), e);
        }
    }
}
