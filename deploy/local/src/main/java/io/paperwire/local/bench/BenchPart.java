package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.local.LocalConfig;
import io.paperwire.stack.StackException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.HashMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What every scenario and baseline of one bench run shares: the stack's coordinates, the run's id and secrets, and
 * the helpers that drive the stack (post a listing, produce sightings, wait for dedup, measure CPU).
 */
abstract class BenchPart {

    static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1, as the sources' pollers would: the JDK client's default h2c upgrade of a large POST failed now and then
    // against the services ("Frame type(110) ... exceeds MAX_FRAME_SIZE"), ending a benchmark run half-way.
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    static final String[] WORDS = ("model training data learning network language attention graph diffusion retrieval "
            + "agent reasoning benchmark evaluation transformer sparse efficient robust scalable policy reward image video "
            + "token latent optimization gradient memory inference alignment vision speech adaptive contrastive").split(" ");

    /** One run's shared facts. */
    record Context(LocalConfig config, PrintStream out, Random random, String run, String token, Properties secrets) {
    }

    final Context context;
    final LocalConfig config;
    final PrintStream out;
    final Random random;
    final String run;
    final String token;
    final Properties secrets;

    BenchPart(Context context) {
        this.context = context;
        this.config = context.config();
        this.out = context.out();
        this.random = context.random();
        this.run = context.run();
        this.token = context.token();
        this.secrets = context.secrets();
    }

    /** Sends the sightings to {@code topic} as ingest would (keyed by title fingerprint, CloudEvents headers), awaiting every ack. */
    void produce(String topic, int n, IntFunction<PaperSighted> sightings) throws Exception {
        var failed = new AtomicReference<Exception>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < n; i++) {
                PaperSighted s = sightings.apply(i);
                ProducerRecord<String, String> r = new ProducerRecord<>(topic, s.titleFingerprint(),
                        PaperEventsJson.mapper().writeValueAsString(s));
                CloudEvents.headers(UUID.randomUUID().toString(), CloudEvents.TYPE_PAPER_SIGHTED, "/bench", s.observedAt(),
                        s.titleFingerprint(), CloudEvents.SCHEMA_PAPER_SIGHTED).forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                // A callback, not a future per record: a million futures would not fit the launcher's heap.
                producer.send(r, (meta, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new StackException("Kafka did not take the bench's sightings: " + failed.get().getMessage(), failed.get());
        }
    }

    /** Starts measuring where a scenario's CPU and database time go. */
    Probe probe() {
        return new Probe(CpuMeter.start(config), StatementProfile.start(config.postgresPort(), out), out);
    }

    /** Waits until dedup consolidates nothing more and its search projection has read everything it published. */
    void awaitDedupIdle() throws Exception {
        String last = null;
        long same = 0;
        while (same < 5) {
            JsonNode status = dedupStatus();
            String now = status.path("sightingsConsolidated").asText() + "/" + status.path("search").path("statesApplied").asText();
            same = now.equals(last) ? same + 1 : 0;
            last = now;
            TimeUnit.MILLISECONDS.sleep(200); // waiting for the previous scenario's backlog to drain
        }
    }

    /**
     * Waits until notify's read model has applied every state on {@code paper.consolidated.v1} (its group's committed
     * offsets at the topic's end): after a backfill of millions of papers it is minutes behind dedup, and a scenario
     * measured meanwhile would share the cores with it.
     */
    void awaitNotifyCaughtUp() throws Exception {
        String topic = io.paperwire.events.topic.PaperTopic.CONSOLIDATED.topicName();
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", config.bootstrapServers()))) {
            long nextNote = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                var committed = admin.listConsumerGroupOffsets("paperwire-notify").partitionsToOffsetAndMetadata().get();
                var request = new java.util.HashMap<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>();
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().forEach(
                        p -> request.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                                org.apache.kafka.clients.admin.OffsetSpec.latest()));
                long lag = 0;
                for (var e : admin.listOffsets(request).all().get().entrySet()) {
                    var c = committed.get(e.getKey());
                    lag += e.getValue().offset() - (c == null ? 0 : c.offset());
                }
                if (lag == 0) {
                    return;
                }
                if (System.nanoTime() > nextNote) {
                    out.println("  waiting for notify's read model: " + lag + " states to apply");
                    nextNote = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                }
                TimeUnit.SECONDS.sleep(1); // waiting for the previous scenario's backlog to drain
            }
        }
    }

    /**
     * Sightings dedup has stored and had acknowledged by Kafka since it started, from its status endpoint: polled a few
     * times a second, the whole Prometheus scrape (1,400 series) was a sixth of dedup's allocation.
     */
    double dedupConsolidated() throws Exception {
        return dedupStatus().path("sightingsConsolidated").asDouble();
    }

    /** dedup's {@code GET /api/v1/status}: consolidation's and the search projection's progress since it started. */
    JsonNode dedupStatus() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.dedupPort() + "/api/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("dedup's /api/v1/status answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 131072), new StringSerializer(), new StringSerializer());
    }

    String title(String prefix, int i) {
        return "A Study of " + WORDS[i % WORDS.length] + " " + WORDS[(i / 7) % WORDS.length] + " (" + prefix + " " + i + ")";
    }

    String abstractText(int i) {
        StringBuilder b = new StringBuilder();
        Random r = new Random(i);
        while (b.length() < 950) {
            b.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(9) == 0 ? ". " : " ");
        }
        return b.toString().strip();
    }

    /** A Hugging Face daily_papers document of {@code count} papers (realistic size: ~1 KB of title and abstract each). */
    /** Posts one listing document to ingest as source {@code bench}; anything but 202 ends the scenario. */
    void postListing(byte[] doc) throws Exception {
        postListing(HttpRequest.BodyPublishers.ofByteArray(doc));
    }

    void postListing(HttpRequest.BodyPublisher doc) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.ingestPort()
                        + "/api/v1/listings?source=bench")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(doc).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new StackException("ingest answered " + r.statusCode() + ": " + r.body());
        }
    }

    byte[] hfDocument(int from, int count, String prefix) throws Exception {
        ArrayNode doc = JSON.createArrayNode();
        String day = LocalDate.now().toString();
        for (int i = from; i < from + count; i++) {
            ObjectNode entry = doc.addObject();
            ObjectNode paper = entry.putObject("paper");
            paper.put("id", arxivId(prefix, i));
            paper.putArray("authors").addObject().put("name", "Author " + (i % 1000));
            paper.put("title", title(prefix, i));
            paper.put("summary", abstractText(i));
            paper.put("upvotes", i % 50);
            entry.put("publishedAt", day + "T08:00:00.000Z");
            entry.put("title", title(prefix, i));
        }
        return JSON.writeValueAsBytes(doc);
    }

    /** New-style arXiv ids (YYMM.NNNNN) of the years 2015-2099: 85 years of 12 months of 100,000. */
    private static final long ID_SPACE = 85L * 12 * 100_000;
    /** Each prefix's window of ids: room for the largest scenario's papers (the backfill's 2.5 million). */
    private static final long ID_WINDOW = 2_600_000;
    /** The first id of each prefix's window, given out in order of first use. */
    private static final Map<String, Long> ID_WINDOWS = new HashMap<>();

    /**
     * The {@code i}-th arXiv id of a prefix. A run starts at a place of its own (from its id) among 102 million ids,
     * and each prefix it uses takes the next window of 2.6 million, so the scenarios of one run never share an id,
     * and two runs on one stack only when their places fall close (a latency run's window after a whole full run's:
     * about one time in 25). Windows used to be placed by the prefix's hash among 13.2 million ids: two latency runs
     * on one stack shared their ids one time in 33 (the second then measured 40,000 title changes, p50 12.7 s).
     */
    String arxivId(String prefix, int i) {
        long start;
        synchronized (ID_WINDOWS) {
            start = ID_WINDOWS.computeIfAbsent(prefix, p -> Math.floorMod(
                    new SplittableRandom(run.hashCode()).nextLong() + ID_WINDOW * ID_WINDOWS.size(), ID_SPACE));
        }
        long n = (start + i) % ID_SPACE;
        return String.format("%02d%02d.%05d", 15 + n / 1_200_000, 1 + (n / 100_000) % 12, n % 100_000);
    }

    PaperSighted sighting(String prefix, int i, String source) {
        String title = title(prefix, i);
        return new PaperSighted(source, source.startsWith("hf") ? PaperSighted.SourceKind.HF_DAILY_PAPERS : PaperSighted.SourceKind.ARXIV_API,
                Instant.now(), null, 1, null, null, TitleFingerprint.of(title), List.of(), title, abstractText(i),
                List.of("Author " + (i % 1000)), List.of("cs.LG"), source.startsWith("hf") ? i % 50 : null, null, null);
    }

    int sightingSize() throws Exception {
        return PaperEventsJson.mapper().writeValueAsBytes(sighting("bench-size", 1, "hf-bench")).length;
    }

    static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
