package io.paperwire.dedup.tools;

import io.paperwire.dedup.messaging.DeadLetterPublisher;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.topic.PaperTopic;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Lists and replays the sightings dead-letter topic: one program for the runbook on a laptop
 * ({@code deploy/local/paperwire dlq}) and the Kubernetes Job ({@code deploy/kubernetes/jobs/dead-letter-replay.yaml}),
 * a plain main on Kafka's clients so both run it from dedup's own jars. Replay sends each record back to the topic it
 * came from with its key, value and CloudEvents headers (dedup counts a {@code ce_id} once, so a record that did get
 * through is not counted twice) and commits its progress in the group {@value #REPLAY_GROUP}: a replay that dies
 * resumes where it stopped, and a second run replays only what was dead-lettered since.
 */
public final class DeadLetterTool {

    static final String REPLAY_GROUP = "paperwire-dead-letter-replay";
    public static final String HEADER_REPLAYED_FROM = "replayed-from";
    private static final Duration POLL = Duration.ofMillis(500);
    /** Kafka's clients say a lot at INFO (every setting of every client); their warnings and errors are what matter. */
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    private final Map<String, Object> kafka;
    private final PrintStream out;
    private final String topic;
    private final String group;

    DeadLetterTool(Map<String, Object> kafka, String topic, String group, PrintStream out) {
        this.kafka = kafka;
        this.topic = topic;
        this.group = group;
        this.out = out;
    }

    public static void main(String[] args) {
        // Outside Quarkus nothing starts the log manager's handlers (its delayed handler would hold every record for
        // ever): one console handler, so the clients' warnings and errors (TLS, SASL, no broker) reach the operator.
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (java.util.logging.Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        java.util.logging.ConsoleHandler console = new java.util.logging.ConsoleHandler();
        console.setLevel(java.util.logging.Level.ALL);
        root.addHandler(console);
        root.setLevel(java.util.logging.Level.INFO);
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
        int status;
        try {
            status = run(args, System.getenv(), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("dead letters: " + e.getMessage());
            System.err.println(USAGE);
            status = 2;
        } catch (Exception e) {
            System.err.println("dead letters: " + e);
            status = 1;
        }
        System.exit(status);
    }

    static final String USAGE = """
            usage: dlq list [--max N]      print the dead letters (offset, key, event id, reason), oldest first
                   dlq replay [--max N]    send them back to their topic; progress is kept, a rerun resumes
            Kafka settings from the environment, as the services take them: KAFKA_BOOTSTRAP_SERVERS, and for TLS/SCRAM
            KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_TYPE,
            KAFKA_SSL_TRUSTSTORE_LOCATION. At most --max records (default 10000) per run, and never records that arrive
            after the run started. PAPERWIRE_DLQ_TOPIC and PAPERWIRE_DLQ_REPLAY_GROUP move the topic and the progress.""";

    public static int run(String[] args, Map<String, String> env, PrintStream out) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("say list or replay");
        }
        int max = 10_000;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--max") && i + 1 < args.length) {
                try {
                    max = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--max takes a number, not " + args[i]);
                }
                if (max < 1) {
                    throw new IllegalArgumentException("--max must be at least 1");
                }
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String group = env.getOrDefault("PAPERWIRE_DLQ_REPLAY_GROUP", REPLAY_GROUP);
        if (!group.startsWith("paperwire-dead-letter-")) {
            throw new IllegalArgumentException("PAPERWIRE_DLQ_REPLAY_GROUP must start with paperwire-dead-letter- (the tool's ACLs)");
        }
        DeadLetterTool tool = new DeadLetterTool(clientSettings(env),
                env.getOrDefault("PAPERWIRE_DLQ_TOPIC", PaperTopic.SIGHTINGS_DLQ.topicName()), group, out);
        return switch (args[0]) {
            case "list" -> tool.list(max);
            case "replay" -> tool.replay(max);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        };
    }

    /** Kafka client settings from the services' own environment variables. */
    static Map<String, Object> clientSettings(Map<String, String> env) {
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS is not set");
        }
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrap);
        Map<String, String> names = Map.of("KAFKA_SECURITY_PROTOCOL", "security.protocol", "KAFKA_SASL_MECHANISM", "sasl.mechanism",
                "KAFKA_SASL_JAAS_CONFIG", "sasl.jaas.config", "KAFKA_SSL_TRUSTSTORE_TYPE", "ssl.truststore.type",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "ssl.truststore.location");
        names.forEach((variable, key) -> {
            String v = env.get(variable);
            if (v != null && !v.isBlank()) {
                c.put(key, v);
            }
        });
        return c;
    }

    int list(int max) {
        int shown = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (ConsumerRecord<byte[], byte[]> r : readUntil(consumer, end, max)) {
                out.printf("%d:%d key=%s ce_id=%s topic=%s reason=%s%n", r.partition(), r.offset(), text(r.key()),
                        header(r, CloudEvents.HEADER_ID), header(r, DeadLetterPublisher.HEADER_TOPIC), header(r, CloudEvents.HEADER_DLQ_REASON));
                shown++;
            }
        }
        out.println(shown + " dead letters" + (shown == max ? " (stopped at --max " + max + ")" : ""));
        return 0;
    }

    int replay(int max) throws Exception {
        int sent = 0;
        int skipped = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(group);
             KafkaProducer<byte[], byte[]> producer = producer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
            Map<TopicPartition, Long> oldest = consumer.beginningOffsets(partitions);
            for (TopicPartition tp : partitions) {
                // Where the last replay stopped, or the oldest record kept when retention has passed that point.
                OffsetAndMetadata c = committed.get(tp);
                consumer.seek(tp, c == null ? oldest.get(tp) : Math.max(c.offset(), oldest.get(tp)));
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (ConsumerRecord<byte[], byte[]> r : readUntil(consumer, end, max)) {
                String target = header(r, DeadLetterPublisher.HEADER_TOPIC);
                if (target.isEmpty()) {
                    target = PaperTopic.SIGHTINGS.topicName();
                }
                if (!target.equals(PaperTopic.SIGHTINGS.topicName())) {
                    // Only dedup's input is replayed: a header naming anything else is not followed (and stays here).
                    out.printf("skipped %d:%d: its topic header names %s, not %s%n", r.partition(), r.offset(), target,
                            PaperTopic.SIGHTINGS.topicName());
                    consumer.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
                    skipped++;
                    continue;
                }
                RecordHeaders headers = new RecordHeaders();
                for (Header h : r.headers()) {
                    if (!h.key().startsWith("dead-letter-")) {
                        headers.add(h);
                    }
                }
                headers.add(HEADER_REPLAYED_FROM, (r.topic() + "@" + r.partition() + ":" + r.offset()).getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(target, null, r.key(), r.value(), headers)).get();
                // Committed after the send is acknowledged: a crash between the two replays one record again, and dedup
                // counts its ce_id once.
                consumer.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
                sent++;
            }
        }
        out.println(sent + " dead letters replayed" + (skipped > 0 ? ", " + skipped + " skipped" : "")
                + (sent + skipped == max ? " (stopped at --max " + max + "; run again for more)" : ""));
        return 0;
    }

    private List<ConsumerRecord<byte[], byte[]>> readUntil(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end, int max) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (out.size() < max && !reached(consumer, end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the dead-letter topic did not yield its records within " + DEADLINE);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (out.size() < max && r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        var info = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (info == null || info.isEmpty()) {
            throw new IllegalStateException("no topic " + topic + " on " + kafka.get("bootstrap.servers"));
        }
        return info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group == null ? "paperwire-dead-letter-list-" + UUID.randomUUID() : group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Positions are set by hand; should retention remove records under a running read, go on from the oldest kept.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    }

    private static String text(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }
}
