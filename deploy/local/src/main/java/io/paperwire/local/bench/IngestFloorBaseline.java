package io.paperwire.local.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.Link;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.PaperIdentifiers;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.local.LocalConfig;
import io.paperwire.stack.StackException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ingest scenario's floor: the work a listing document needs, with nothing around it. Each of the same
 * documents is read, hashed (SHA-256, the idempotency key), parsed element by element with Jackson, each entry
 * turned into a {@link PaperSighted} (identifiers resolved, title fingerprinted), serialized with the event
 * contract's mapper and sent with its CloudEvents headers by a producer configured as ingest's, and the document
 * waits for every acknowledgement, as ingest's {@code 202} does. No HTTP, no framework, no database record of the
 * document, and a JVM with its full JIT (C2). It tells how much of the gap to the producer tool is the work itself.
 */
final class IngestFloorBaseline {

    private static final ObjectMapper TREE = new ObjectMapper();

    private final LocalConfig config;

    IngestFloorBaseline(LocalConfig config) {
        this.config = config;
    }

    /** Sends the sightings of {@code documents} from {@code clients} threads; returns sightings per second. */
    double run(List<Path> documents, int sightings, int clients, String topic) throws Exception {
        Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            // The same shape as paper.sightings.v1; nothing consumes it, and it goes when the round ends.
            a.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 131072), new StringSerializer(), new ByteArraySerializer())) {
            warmUp(producer, topic);
            long t0 = System.nanoTime();
            List<Future<Integer>> sent = new ArrayList<>();
            for (Path doc : documents) {
                sent.add(pool.submit(() -> document(producer, topic, Files.readAllBytes(doc))));
            }
            int total = 0;
            for (Future<Integer> f : sent) {
                try {
                    total += f.get();
                } catch (ExecutionException e) {
                    // The document's own failure (a missing acknowledgement, an unreadable file), not the pool's wrapper.
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            double rate = total / ((System.nanoTime() - t0) / 1e9);
            if (total != sightings) {
                throw new StackException("the ingest floor sent " + total + " sightings of " + sightings);
            }
            return rate;
        } finally {
            pool.shutdownNow();
            try (Admin a = Admin.create(admin)) {
                a.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Ingest's producer is long-lived, so its connection, producer id and the partitions' leaders are known before
     * a round; this one's must be too before the clock starts: one acknowledged record on every partition.
     */
    private static void warmUp(KafkaProducer<String, byte[]> producer, String topic) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (PartitionInfo p : producer.partitionsFor(topic)) {
            acks.add(producer.send(new ProducerRecord<>(topic, p.partition(), "warm-up", new byte[0])));
        }
        for (Future<RecordMetadata> ack : acks) {
            acknowledged(ack, topic, "its warm-up record");
        }
    }

    /**
     * Waits for one acknowledgement. The producer's own delivery timeout bounds the wait and fails the future with
     * its reason (the partition and what it waited for), which says more than a timeout of our own would.
     */
    private static void acknowledged(Future<RecordMetadata> ack, String topic, String what) throws Exception {
        try {
            ack.get();
        } catch (ExecutionException e) {
            throw new StackException("the ingest floor's producer got no acknowledgement for " + what + " on " + topic + ": "
                    + e.getCause(), e.getCause());
        }
    }

    private static int document(KafkaProducer<String, byte[]> producer, String topic, byte[] body) throws Exception {
        String key = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        Instant observedAt = Instant.now();
        List<Future<RecordMetadata>> acks = new ArrayList<>(1000);
        try (JsonParser p = new JsonFactory(TREE).createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new StackException("the ingest floor expects a JSON array");
            }
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                JsonNode node = p.readValueAsTree();
                PaperSighted s = sighting(node, index, observedAt);
                String eventId = UUID.nameUUIDFromBytes(("bench-floor\n" + key + "\n" + index).getBytes(StandardCharsets.UTF_8)).toString();
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, s.titleFingerprint(), PaperEventsJson.mapper().writeValueAsBytes(s));
                CloudEvents.headers(eventId, CloudEvents.TYPE_PAPER_SIGHTED, "/paperwire/ingest/bench-floor", observedAt,
                        s.titleFingerprint(), CloudEvents.SCHEMA_PAPER_SIGHTED).forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                acks.add(producer.send(r));
                index++;
            }
        }
        for (Future<RecordMetadata> ack : acks) {
            acknowledged(ack, topic, "a sighting of document " + key);
        }
        return acks.size();
    }

    private static PaperSighted sighting(JsonNode node, int index, Instant observedAt) {
        JsonNode paper = node.path("paper");
        String id = paper.path("id").asText();
        String title = paper.path("title").asText().strip();
        List<String> authors = new ArrayList<>();
        for (JsonNode a : paper.path("authors")) {
            authors.add(a.path("name").asText().strip());
        }
        PaperIdentifiers ids = PaperIdentifiers.resolve(List.of("arXiv:" + id));
        return new PaperSighted("bench-floor", PaperSighted.SourceKind.HF_DAILY_PAPERS, observedAt,
                LocalDate.parse(node.path("publishedAt").asText().substring(0, 10)), index + 1, ids.arxivId(), ids.doi(),
                TitleFingerprint.of(title), ids.rawIdentifiers(), title, paper.path("summary").asText().strip(), authors, List.of(),
                paper.path("upvotes").asInt(), List.of(new Link("abstract", "https://arxiv.org/abs/" + id),
                        new Link("huggingface", "https://huggingface.co/papers/" + id)), null);
    }
}
