package io.paperwire.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.stack.KafkaBroker;
import io.paperwire.stack.Postgres;
import io.paperwire.stack.StackException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code paperwire bench [--quick|--smoke]}: measures the running local stack against baselines measured in the same run on
 * the same broker, database and mail server, and writes a JSON report. Scenarios: ingest (sightings/s from POSTed
 * 1,000-entry documents until Kafka acknowledged them; baseline Kafka's own producer performance tool), consolidate
 * (sightings/s from a pre-loaded topic until stored and published; baseline a plain batched JDBC upsert), latency
 * (ingest 202 to a downstream consumer receiving the consolidated event, at a steady 1,000 sightings/s), fan-out
 * (digests/s to confirmed subscribers; baseline a plain JavaMail loop), and each service's peak resident memory.
 * Ingest and consolidate also measure their floors: the same work done plainly ({@link IngestFloorBaseline},
 * {@link DesignWritesBaseline}), which tell how much of the distance to a baseline is the design's own work.
 */
final class Bench {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Concurrent clients posting listings in the ingest scenario. */
    static final int INGEST_CLIENTS = 4;
    // HTTP/1.1, as the sources' pollers would: the JDK client's default h2c upgrade of a large POST failed now and then
    // against the services ("Frame type(110) ... exceeds MAX_FRAME_SIZE"), ending a benchmark run half-way.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final String[] WORDS = ("model training data learning network language attention graph diffusion retrieval "
            + "agent reasoning benchmark evaluation transformer sparse efficient robust scalable policy reward image video "
            + "token latent optimization gradient memory inference alignment vision speech adaptive contrastive").split(" ");

    private final LocalConfig config;
    private final Map<String, String> env;
    private final PrintStream out;
    private final Random random = new Random(42);
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private String token;
    private Properties secrets;
    private ObjectNode fanoutProfile;

    Bench(LocalConfig config, Map<String, String> env, PrintStream out) {
        this.config = config;
        this.env = env;
        this.out = out;
    }

    /**
     * How big a run is: {@code smoke} only proves the suite works (the system tests run it), {@code quick} fits in 10
     * minutes, {@code full} runs each throughput scenario at two sizes ten times apart, to show how cost grows with the work.
     */
    enum Size {
        SMOKE(new int[] {1_000, 2_000}, new int[] {500, 1_000}, 3, new int[] {10, 20}),
        QUICK(new int[] {20_000}, new int[] {20_000}, 10, new int[] {500}),
        FULL(new int[] {100_000, 1_000_000}, new int[] {100_000, 1_000_000}, 30, new int[] {10_000, 100_000});

        final int[] ingest;
        final int[] consolidate;
        final int latencySeconds;
        final int[] subscribers;

        Size(int[] ingest, int[] consolidate, int latencySeconds, int[] subscribers) {
            this.ingest = ingest;
            this.consolidate = consolidate;
            this.latencySeconds = latencySeconds;
            this.subscribers = subscribers;
        }
    }

    Path run(Size size, java.util.Set<String> only) throws Exception {
        secrets = config.secrets(env);
        token = secrets.getProperty("api.token");
        ObjectNode report = JSON.createObjectNode();
        ObjectNode scenarios = report.putObject("scenarios");

        out.println("bench " + size.name().toLowerCase() + ", run " + run + (only.isEmpty() ? "" : ", only " + only));
        // Each scenario also reports the services' peak resident memory so far, to tell which one set the peak.
        if (wanted(only, "ingest")) {
            scenarios.set("ingest", ingest(size.ingest).set("rss_mb_peak_so_far", rss()));
            awaitDedupIdle();
        }
        if (wanted(only, "consolidate")) {
            scenarios.set("consolidate", consolidate(size.consolidate).set("rss_mb_peak_so_far", rss()));
            awaitDedupIdle();
        }
        if (wanted(only, "latency")) {
            scenarios.set("latency", latency(size.latencySeconds).set("rss_mb_peak_so_far", rss()));
        }
        if (wanted(only, "fanout")) {
            scenarios.set("fanout", fanout(size.subscribers).set("rss_mb_peak_so_far", rss()));
        }
        scenarios.set("rss_mb", rss());
        ObjectNode machine = report.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("size", size.name().toLowerCase());
        machine.put("at", Instant.now().toString());
        Path dir = Files.createDirectories(config.state().resolve("bench"));
        Path file = dir.resolve("bench-" + Instant.now().toString().replace(":", "") + ".json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        out.println("report: " + file);
        return file;
    }

    /** The scenarios {@code --only} accepts; {@code rss_mb} is always reported. */
    static final List<String> SCENARIOS = List.of("ingest", "consolidate", "latency", "fanout");

    private static boolean wanted(java.util.Set<String> only, String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    // ------------------------------------------------------------------------------------------------ ingest

    private ObjectNode ingest(int[] sizes) throws Exception {
        try {
            return ingestRounds(sizes);
        } finally {
            deleteDocuments();
        }
    }

    private ObjectNode ingestRounds(int[] sizes) throws Exception {
        // A warm-up pass, not measured (as for consolidate and fan-out); the producer tool gets its own (producerPerf).
        int warmup = Math.max(1_000, Math.min(sizes[0] / 10, 20_000));
        out.println("ingest: warm-up, " + warmup + " sightings not measured ...");
        post(documents("bench-" + run + "-iw", warmup));
        awaitDedupIdle();
        Growth growth = new Growth("sightings");
        ObjectNode s = null;
        double shared = Double.NaN;
        for (int n : sizes) {
            // Measured alone, as the producer tool runs alone: dedup and notify, which consolidate what ingest sends,
            // are held still (SIGSTOP) for the round and catch up after it. Sharing the two cores with them, ingest
            // gets about half of that; the first size is posted once more with them running, for the report.
            out.println("ingest: " + n + " sightings in documents of 1,000 entries from " + INGEST_CLIENTS
                    + " clients, dedup and notify paused ...");
            List<Path> documents = documents("bench-" + run + "-i" + n + "-", n);
            double consolidatedBefore = dedupConsolidated();
            Probe probe = probe();
            double rate;
            try (PausedParts paused = PausedParts.pause(new Processes(config.pids()), "dedup", "notify")) {
                long t0 = System.nanoTime();
                post(documents);
                rate = n / seconds(t0);
            }
            ObjectNode where = probe.stop("paperwire_ingest");
            out.printf("ingest: %.0f sightings/s alone; dedup and notify catching up ...%n", rate);
            // Resumed, dedup first has to rejoin its consumer group: idle only once it consolidated the whole round.
            while (dedupConsolidated() < consolidatedBefore + n) {
                TimeUnit.MILLISECONDS.sleep(250); // waiting for the backlog to drain, not synchronising a test
            }
            awaitDedupIdle();
            int recordSize = sightingSize();
            ProducerRate baseline = producerPerf(n, recordSize);
            out.println("ingest: baseline ingest-floor (the same documents parsed, mapped and sent with nothing around them) ...");
            List<Path> floorDocuments = documents("bench-" + run + "-if" + n + "-", n);
            Probe floorProbe = probe();
            double floor;
            try {
                floor = new IngestFloorBaseline(config).run(floorDocuments, n, INGEST_CLIENTS, "bench.ingest-floor." + run + "-" + n);
            } finally {
                for (Path d : floorDocuments) {
                    Files.deleteIfExists(d);
                }
            }
            ObjectNode floorWhere = floorProbe.stop("paperwire_ingest");
            s = JSON.createObjectNode();
            s.put("rate", round(rate)).put("unit", "sightings/s").put("sightings", n).put("record_bytes", recordSize)
                    .put("clients", INGEST_CLIENTS).put("warmup_sightings", warmup).put("consumers_paused", true);
            s.putObject("baselines").put("kafka-producer", round(baseline.steady())).put("ingest-floor", round(floor));
            s.put("ratio_to_kafka_producer", round(rate / baseline.steady()));
            s.put("ratio_to_ingest_floor", round(rate / floor));
            // What the goal would need of the work itself: if the floor is below it, no implementation reaches it.
            s.put("ingest_floor_ratio_to_kafka_producer", round(floor / baseline.steady()));
            s.set("ingest_floor_profile", floorWhere);
            s.put("kafka_producer_with_its_warmup", round(baseline.overall())).put("kafka_producer_warmup_records", baseline.warmup());
            if (n == sizes[0]) {
                out.println("ingest: " + n + " sightings again, with dedup and notify consolidating at the same time ...");
                List<Path> again = documents("bench-" + run + "-ic" + n + "-", n);
                long t0 = System.nanoTime();
                post(again);
                shared = n / seconds(t0);
                out.printf("ingest: %.0f sightings/s while consolidating%n", shared);
                awaitDedupIdle();
            }
            s.set("profile", where);
            growth.add(s, n);
            out.printf("ingest: %.0f sightings/s; kafka-producer %.0f records/s in its steady state (%.2fx); ingest-floor %.0f "
                    + "sightings/s (%.2fx; itself %.2fx of kafka-producer)%n", rate, baseline.steady(), rate / baseline.steady(),
                    floor, rate / floor, floor / baseline.steady());
        }
        return growth.into(s).put("rate_while_consolidating", round(shared)).put("rate_while_consolidating_sightings", sizes[0]);
    }

    /** What the rounds left of their documents: each accepted one is deleted at once, a failed round leaves the rest. */
    private void deleteDocuments() throws IOException {
        Path dir = config.state().resolve("bench").resolve("documents-" + run);
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.delete(dir);
        }
    }

    /**
     * {@code n} sightings as documents of up to 1,000 entries, written to files before a round is timed: building
     * them as the round went cost the load generator almost as much CPU as ingest itself (50 us per entry, on the
     * same two cores), where the producer tool makes its payload once. 1M sightings are 1.3 GB of files, deleted
     * after the round; held in memory they would not fit the launcher's heap.
     */
    private List<Path> documents(String prefix, int n) throws Exception {
        Path dir = Files.createDirectories(config.state().resolve("bench").resolve("documents-" + run));
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> written = new ArrayList<>();
            for (int from = 0; from < n; from += 1000) {
                int first = from;
                written.add(writers.submit(() -> Files.write(dir.resolve(prefix + first + ".json"),
                        hfDocument(first, Math.min(1000, n - first), prefix))));
            }
            List<Path> files = new ArrayList<>();
            for (Future<Path> f : written) {
                files.add(f.get());
            }
            return files;
        } finally {
            writers.shutdownNow();
        }
    }

    /**
     * Posts the documents from {@link #INGEST_CLIENTS} clients at once, as sources would (a poller per source, a few
     * clients): one client alone leaves ingest idle while Kafka acknowledges its document, where the producer tool
     * keeps sending. Each file is deleted once ingest accepted it.
     */
    private void post(List<Path> documents) throws Exception {
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(INGEST_CLIENTS);
        try {
            List<Future<?>> posted = new ArrayList<>();
            for (Path doc : documents) {
                posted.add(clients.submit(() -> {
                    postListing(HttpRequest.BodyPublishers.ofFile(doc));
                    Files.delete(doc);
                    return null;
                }));
            }
            for (Future<?> f : posted) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** What the producer tool measured: all its records, and the steady state after its warm-up records. */
    private record ProducerRate(double overall, double steady, int warmup) {
    }

    /**
     * Kafka's own ProducerPerformance on the same broker: records of the same size, acks=all, idempotent. Its first
     * tenth (at most 100,000 records) is a warm-up it reports apart, as ingest's warm-up round is not measured either.
     */
    private ProducerRate producerPerf(int n, int recordSize) throws Exception {
        String topic = "bench.producer-perf." + run + "-" + n;
        // The same shape as paper.sightings.v1 (6 partitions); the broker does not create topics on its own.
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        int warmup = Math.min(n / 10, 100_000);
        List<String> cmd = List.of(Processes.javaExecutable(), "-Xmx512m", "-cp", KafkaBroker.classpath(),
                "org.apache.kafka.tools.ProducerPerformance", "--topic", topic, "--num-records", String.valueOf(n + warmup),
                "--warmup-records", String.valueOf(warmup), "--record-size", String.valueOf(recordSize), "--throughput", "-1",
                "--command-property", "bootstrap.servers=" + config.bootstrapServers(), "acks=all", "enable.idempotence=true",
                "linger.ms=20", "batch.size=131072");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.MINUTES);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        double overall = lastRate(Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec"), text);
        double steady = lastRate(Pattern.compile("(\\d+) steady state records sent, ([\\d.]+) records/sec"), text);
        if (Double.isNaN(overall) || Double.isNaN(steady)) {
            throw new StackException("ProducerPerformance printed no result:\n" + text);
        }
        return new ProducerRate(overall, steady, warmup);
    }

    private static double lastRate(Pattern line, String text) {
        Matcher m = line.matcher(text);
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(2));
        }
        return last;
    }

    // ------------------------------------------------------------------------------------------- consolidate

    private ObjectNode consolidate(int[] sizes) throws Exception {
        // A warm-up pass, not measured: a freshly started JVM spends its first tens of seconds compiling (the JIT
        // compiler threads were most of dedup's CPU in cold runs), which is start-up cost, not consolidation cost.
        int warmup = Math.min(sizes[0] / 4, 20_000);
        out.println("consolidate: warm-up, " + warmup + " sightings not measured ...");
        double warmFrom = dedupConsolidated();
        produce(PaperTopic.SIGHTINGS.topicName(), warmup, i -> sighting("bench-" + run + "-w", i, i % 3 == 0 ? "hf-bench" : "arxiv-bench"));
        while (dedupConsolidated() < warmFrom + warmup) {
            TimeUnit.MILLISECONDS.sleep(250); // waiting for the warm-up to be consolidated, not synchronising a test
        }
        awaitDedupIdle();
        Growth growth = new Growth("sightings");
        ObjectNode s = null;
        for (int n : sizes) {
            out.println("consolidate: " + n + " sightings pre-loaded, 30% of them second sightings from another source ...");
            SyntheticSightings sightings = new SyntheticSightings("bench-" + run + "-c" + n + "-", n);
            double before = dedupConsolidated();
            Probe probe = probe();
            long t0 = System.nanoTime();
            produce(PaperTopic.SIGHTINGS.topicName(), n, sightings::get);
            double loaded = seconds(t0);
            // Polls dedup's own count of sightings stored and acknowledged by Kafka: counting rows in the database
            // every 100 ms cost PostgreSQL more time than some of dedup's own statements.
            while (dedupConsolidated() < before + n) {
                TimeUnit.MILLISECONDS.sleep(250); // polling for the end of the run, not synchronising a test
            }
            double rate = n / seconds(t0);
            ObjectNode where = probe.stop("paperwire_dedup", "paperwire_notify");
            double jdbc = jdbcUpsert(n, sightings::get);
            // The floor: only the rows the design stores, with and without the search document, into dedup's schema.
            out.println("consolidate: baseline design-writes (dedup's rows alone, plain batched JDBC) ...");
            DesignWritesBaseline floor = new DesignWritesBaseline(config, out);
            Probe floorProbe = probe();
            DesignWritesBaseline.Result floorResult = floor.run(n, sightings::get, true);
            double designWrites = floorResult.rate();
            ObjectNode floorWhere = floorProbe.stop("paperwire_bench");
            double designWritesNoSearch = floor.run(n, sightings::get, false).rate();
            out.println("consolidate: baseline debezium-jdbc-sink (Kafka Connect standalone, Debezium JDBC sink 3.5.0.Final, upsert) ...");
            double debezium = new DebeziumBaseline(config, out).run(run + "-" + n, n, topic -> {
                try {
                    produce(topic, n, sightings::get);
                } catch (Exception e) {
                    throw new StackException("could not produce the baseline's sightings: " + e.getMessage(), e);
                }
            });
            s = JSON.createObjectNode();
            s.put("rate", round(rate)).put("unit", "sightings/s").put("sightings", n).put("warmup_sightings", warmup)
                    .put("preload_seconds", round(loaded));
            s.putObject("baselines").put("jdbc-upsert", round(jdbc)).put("debezium-jdbc-sink", round(debezium))
                    .put("design-writes", round(designWrites)).put("design-writes-without-search", round(designWritesNoSearch));
            s.put("ratio_to_jdbc_upsert", round(rate / jdbc));
            s.put("ratio_to_debezium_jdbc_sink", round(rate / debezium));
            s.put("ratio_to_design_writes", round(rate / designWrites));
            // What the goals would need of the design's storage alone: if its own rate is below them, no implementation reaches them.
            s.put("design_writes_ratio_to_jdbc_upsert", round(designWrites / jdbc));
            s.put("design_writes_ratio_to_debezium_jdbc_sink", round(designWrites / debezium));
            s.set("profile", where);
            s.set("design_writes_profile", floorWhere);
            ObjectNode floorRows = s.putObject("design_writes_rows");
            floorResult.rows().forEach(floorRows::put);
            growth.add(s, n);
            out.printf("consolidate: %.0f sightings/s; jdbc-upsert %.0f rows/s (%.2fx); debezium-jdbc-sink %.0f rows/s (%.2fx); "
                    + "design-writes %.0f sightings/s (%.2fx; itself %.2fx of jdbc-upsert), without search %.0f%n", rate, jdbc,
                    rate / jdbc, debezium, rate / debezium, designWrites, rate / designWrites, designWrites / jdbc, designWritesNoSearch);
            awaitDedupIdle();
        }
        return growth.into(s);
    }

    /**
     * {@code n} synthetic sightings in a shuffled order, made on demand from their position: 70% first sightings of
     * distinct papers by one source, 30% second sightings of them by another. Only the order is held (4 bytes a
     * sighting), so a million of them fit the launcher's heap where the sightings themselves (~1.3 KB each) would not.
     */
    private final class SyntheticSightings {
        private final String prefix;
        private final int distinct;
        private final int[] order;

        SyntheticSightings(String prefix, int n) {
            this.prefix = prefix;
            this.distinct = (int) Math.round(n * 0.7);
            this.order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }

        PaperSighted get(int position) {
            int k = order[position];
            return k < distinct ? sighting(prefix, k, "arxiv-bench") : sighting(prefix, (k - distinct) % distinct, "hf-bench");
        }
    }

    /**
     * A throughput scenario measured at several sizes: each size's rate, baselines and CPU per unit of work, and how
     * the largest size compares with the smallest. The scenario's own fields are the largest size's.
     */
    private static final class Growth {
        private final String unit;
        private final ArrayNode sizes = JSON.createArrayNode();

        Growth(String unit) {
            this.unit = unit;
        }

        void add(ObjectNode scenario, int n) {
            ObjectNode g = sizes.addObject();
            g.put(unit, n).put("rate", scenario.path("rate").asDouble());
            g.set("baselines", scenario.path("baselines").deepCopy());
            double cpu = 0;
            for (JsonNode seconds : scenario.path("profile").path("cpu_seconds")) {
                cpu += seconds.asDouble();
            }
            g.put("cpu_ms_per_unit", round(cpu * 1000 / n));
        }

        ObjectNode into(ObjectNode scenario) {
            scenario.set("sizes", sizes);
            if (sizes.size() > 1) {
                JsonNode small = sizes.get(0);
                JsonNode large = sizes.get(sizes.size() - 1);
                ObjectNode summary = scenario.putObject("growth");
                summary.put("work", large.path(unit).asDouble() / small.path(unit).asDouble());
                summary.put("rate", round(large.path("rate").asDouble() / small.path("rate").asDouble()));
                summary.put("cpu_per_unit", round(large.path("cpu_ms_per_unit").asDouble() / small.path("cpu_ms_per_unit").asDouble()));
                ObjectNode baselines = summary.putObject("baselines");
                small.path("baselines").fieldNames().forEachRemaining(b -> baselines.put(b,
                        round(large.path("baselines").path(b).asDouble() / small.path("baselines").path(b).asDouble())));
            }
            return scenario;
        }
    }

    /** Sends the sightings to {@code topic} as ingest would (keyed by title fingerprint, CloudEvents headers), awaiting every ack. */
    private void produce(String topic, int n, java.util.function.IntFunction<PaperSighted> sightings) throws Exception {
        var failed = new java.util.concurrent.atomic.AtomicReference<Exception>();
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

    /** The ceiling: the same rows upserted into a bare table with batched JDBC (rewritten to multi-row inserts). */
    private double jdbcUpsert(int n, java.util.function.IntFunction<PaperSighted> rows) throws Exception {
        String password = UUID.randomUUID().toString();
        Postgres.ensureDatabase(config.postgresPort(), "paperwire_bench", "bench", password);
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(config.postgresPort(), "paperwire_bench")
                + (Postgres.jdbcUrl(config.postgresPort(), "paperwire_bench").contains("?") ? "&" : "?") + "reWriteBatchedInserts=true",
                "bench", password)) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists bench_upsert");
                st.execute("create table bench_upsert (fingerprint text primary key, title text not null, abstract text, "
                        + "source text not null, sightings int not null, updated_at timestamptz not null)");
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("insert into bench_upsert values (?, ?, ?, ?, 1, now()) on conflict "
                    + "(fingerprint) do update set sightings = bench_upsert.sightings + 1, updated_at = now()")) {
                int inBatch = 0;
                java.util.Set<String> keys = new java.util.HashSet<>();
                for (int i = 0; i < n; i++) {
                    PaperSighted s = rows.apply(i);
                    // A multi-row upsert may not touch one row twice: a repeated key starts the next batch.
                    if (!keys.add(s.titleFingerprint())) {
                        ps.executeBatch();
                        c.commit();
                        inBatch = 0;
                        keys.clear();
                        keys.add(s.titleFingerprint());
                    }
                    ps.setString(1, s.titleFingerprint());
                    ps.setString(2, s.title());
                    ps.setString(3, s.abstractText());
                    ps.setString(4, s.source());
                    ps.addBatch();
                    if (++inBatch == 500) {
                        ps.executeBatch();
                        c.commit();
                        inBatch = 0;
                        keys.clear();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            return n / seconds(t0);
        }
    }

    // ----------------------------------------------------------------------------------------------- latency

    private ObjectNode latency(int seconds) throws Exception {
        // The load runs a warm-up first, not measured, at the same rate: a service's first seconds at this load pay for
        // compiling its consolidation path (with no warm-up, runs right after a start read p99 547 and 380 ms against
        // 184-264 ms once warm).
        int warmup = Math.max(1, Math.min(10, seconds / 3));
        out.println("latency: 1,000 sightings/s for " + seconds + " s after " + warmup
                + " s not measured, ingest 202 to the consolidated event downstream ...");
        Map<String, Long> accepted = new ConcurrentHashMap<>();
        Map<String, Long> received = new ConcurrentHashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + run);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        Thread consumer;
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var assigned = new java.util.concurrent.CountDownLatch(1);
        String prefix = "bench-" + run + "-l";
        consumer = new Thread(() -> {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of(PaperTopic.CONSOLIDATED.topicName()));
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        if (r.value() != null && r.value().contains(prefix)) {
                            try {
                                String title = JSON.readTree(r.value()).path("title").asText();
                                received.putIfAbsent(title, now);
                            } catch (Exception ignored) {
                                // not a paper state
                            }
                        }
                    }
                    if (!c.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                }
            }
        });
        consumer.start();
        assigned.await(60, TimeUnit.SECONDS);
        int perTick = 100;
        int measuredFrom = warmup * 10;
        Probe probe = null;
        long start = System.nanoTime();
        for (int tick = 0; tick < measuredFrom + seconds * 10; tick++) {
            if (tick == measuredFrom) {
                probe = probe();
            }
            long due = start + tick * 100_000_000L;
            while (System.nanoTime() < due) {
                TimeUnit.MICROSECONDS.sleep(200); // pacing the load at 1,000/s, not waiting for a result
            }
            byte[] doc = hfDocument(tick * perTick, perTick, prefix);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.ingestPort()
                            + "/api/v1/listings?source=bench-latency")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(doc)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long at = System.nanoTime();
            if (r.statusCode() == 202 && tick >= measuredFrom) {
                for (int i = 0; i < perTick; i++) {
                    accepted.put(title(prefix, tick * perTick + i), at);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.keySet().containsAll(accepted.keySet()) == false && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        stop.set(true);
        consumer.join();
        ObjectNode where = probe.stop("paperwire_ingest", "paperwire_dedup", "paperwire_notify");
        List<Double> ms = new ArrayList<>();
        accepted.forEach((title, at) -> {
            Long got = received.get(title);
            if (got != null) {
                ms.add((got - at) / 1e6);
            }
        });
        Collections.sort(ms);
        ObjectNode s = JSON.createObjectNode();
        s.put("sightings_per_s", 1000).put("warmup_s", warmup).put("sent", accepted.size()).put("received", ms.size());
        s.set("profile", where);
        s.put("p50_ms", round(pct(ms, 0.50))).put("p99_ms", round(pct(ms, 0.99))).put("max_ms", round(ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1)));
        out.printf("latency: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d received)%n", pct(ms, 0.5), pct(ms, 0.99),
                ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1), ms.size(), accepted.size());
        return s;
    }

    // ------------------------------------------------------------------------------------------------ fan-out

    private ObjectNode fanout(int[] sizes) throws Exception {
        // A warm-up round first, not measured, for notify and for the JavaMail loop alike: the first digests after a
        // start pay for compiling the mail path (in a cold quick run the JIT was a third of notify's CPU), and the
        // mail server's JVM warms up too. With 500, the first measured round (10k, which runs before its baseline)
        // cost 3.3 ms of CPU per digest against the second's 2.55; with 2,000 it cost 2.8.
        int warmup = Math.max(1, Math.min(sizes[0] / 5, 2_000));
        papersForDigests();
        out.println("fanout: warm-up, " + warmup + " digests not measured ...");
        digestRound("w", warmup, null);
        int size = digestSize("w");
        // The mail server (a JVM of its own, with the C2 compiler) needs more mail than that to reach its steady
        // state; the raw loop is the cheapest way to send it.
        smtpRaw(Math.min(sizes[0], 10_000), size, "w");
        Growth growth = new Growth("subscribers");
        ObjectNode s = null;
        for (int n : sizes) {
            out.println("fanout: " + n + " confirmed subscribers, one digest each ...");
            double[] measured;
            double raw;
            // The mail server keeps every message in memory; in big rounds the bench empties it as it goes, the same
            // way for notify's digests and for the baseline's messages.
            try (MailPurger purger = n > 5_000 ? new MailPurger() : null) {
                measured = digestRound("m" + n, n, probe());
                raw = smtpRaw(n, size, "m" + n);
            }
            int sent = (int) measured[0];
            if (sent < n) {
                throw new StackException("fanout: only " + sent + " of " + n + " digests were sent; see deploy/local/paperwire logs notify");
            }
            double rate = sent / measured[1];
            s = JSON.createObjectNode();
            s.put("rate", round(rate)).put("unit", "digests/s").put("subscribers", n).put("sent", sent).put("message_bytes", size)
                    .put("warmup_subscribers", warmup);
            s.putObject("baselines").put("smtp-raw", round(raw));
            s.put("ratio_to_smtp_raw", round(rate / raw));
            s.set("profile", fanoutProfile);
            growth.add(s, n);
            out.printf("fanout: %.0f digests/s (%d sent); smtp-raw %.0f messages/s (%.2fx)%n", rate, sent, raw, rate / raw);
        }
        return growth.into(s);
    }

    /**
     * Makes sure every digest has papers to show: a few new papers posted through ingest and awaited in notify's read
     * model. Without them (a fresh stack, {@code --only fanout}) every digest was skipped as having nothing new and the
     * round measured nothing.
     */
    private void papersForDigests() throws Exception {
        String prefix = "bench-" + run + "-digest";
        int count = 20;
        postListing(hfDocument(0, count, prefix));
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(config.postgresPort(), "paperwire_notify"), "notify",
                secrets.getProperty("db.notify.password"));
                PreparedStatement ps = c.prepareStatement("select count(*) from paper_view where title like ?")) {
            ps.setString(1, "%(" + prefix + " %"); // titles end "(<prefix> <i>)"
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new StackException("the papers for the digests did not reach notify's read model within 120 s");
                }
                TimeUnit.MILLISECONDS.sleep(200); // polling for the read model, not synchronising a test
            }
        }
    }

    /** Empties the local mail server every few seconds while a big fan-out round runs, so its heap holds only the latest. */
    private final class MailPurger implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

        MailPurger() {
            timer.scheduleWithFixedDelay(this::purge, 2, 2, TimeUnit.SECONDS);
        }

        private void purge() {
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.mailApiPort() + "/messages")).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                out.println("  (could not empty the mail server: " + e.getMessage() + ")");
            }
        }

        @Override
        public void close() {
            timer.shutdownNow();
            purge();
        }
    }

    /**
     * One round: {@code n} confirmed subscribers (addresses {@code bench-<run>-<tag>-<i>@example.org}), a digest run,
     * and the time until every one of their digests is finished; returns {sent, seconds}. The subscribers are
     * unsubscribed afterwards, so later runs do not mail them again.
     */
    private double[] digestRound(String tag, int n, Probe probe) throws Exception {
        String notifyPassword = secrets.getProperty("db.notify.password");
        String prefix = "bench-" + run + "-" + tag + "-";
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(config.postgresPort(), "paperwire_notify"), "notify", notifyPassword)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into subscription (id, kind, email, status, frequency, timezone, send_hour, max_papers, created_at, confirmed_at)
                    values (?, 'email', ?, 'active', 'daily', 'UTC', 0, 5, now(), now())""")) {
                for (int i = 0; i < n; i++) {
                    ps.setObject(1, UUID.randomUUID());
                    ps.setString(2, prefix + i + "@example.org");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        long t0 = System.nanoTime();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.notifyPort() + "/api/v1/digests/run"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new StackException("digest run answered " + r.statusCode() + ": " + r.body());
        }
        // The scheduled senders work the same queue as the run: the round ends when every one of its digests is finished.
        int sent;
        String finished = "select count(*) filter (where j.status = 'sent'), count(*) filter (where j.status in ('due', 'claimed', 'sending')) "
                + "from digest_job j join subscription s on s.id = j.subscription_id where s.email like '" + prefix + "%'";
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(config.postgresPort(), "paperwire_notify"), "notify", notifyPassword);
                Statement st = c.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (true) {
                try (ResultSet rs = st.executeQuery(finished)) {
                    rs.next();
                    sent = rs.getInt(1);
                    if (rs.getInt(2) == 0 || System.nanoTime() > deadline) {
                        break;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(100); // polling for the end of the run, not synchronising a test
            }
            double elapsed = seconds(t0);
            if (probe != null) {
                fanoutProfile = probe.stop("paperwire_notify");
            }
            st.executeUpdate("update subscription set status = 'unsubscribed' where email like '" + prefix + "%'");
            return new double[] {sent, elapsed};
        }
    }

    /** The ceiling: one JavaMail connection sending equally sized multipart messages in a loop. */
    private double smtpRaw(int n, int size, String tag) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(config.smtpPort()));
        Session session = Session.getInstance(p);
        String body = "x".repeat(Math.max(100, size / 2 - 200));
        long t0 = System.nanoTime();
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            for (int i = 0; i < n; i++) {
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress("digest@paperwire.local"));
                InternetAddress to = new InternetAddress("raw-" + run + "-" + tag + "-" + i + "@example.org");
                m.setRecipient(Message.RecipientType.TO, to);
                m.setSubject("raw " + i);
                MimeMultipart alt = new MimeMultipart("alternative");
                MimeBodyPart text = new MimeBodyPart();
                text.setText(body, "UTF-8");
                MimeBodyPart html = new MimeBodyPart();
                html.setContent("<p>" + body + "</p>", "text/html; charset=UTF-8");
                alt.addBodyPart(text);
                alt.addBodyPart(html);
                m.setContent(alt);
                m.saveChanges();
                t.sendMessage(m, new InternetAddress[] {to});
            }
        }
        return n / seconds(t0);
    }

    private int digestSize(String tag) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.mailApiPort()
                + "/messages?to=bench-" + run + "-" + tag + "-0@example.org")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode list = JSON.readTree(r.body());
        return list.isEmpty() ? 6000 : list.get(0).path("raw").asText().length();
    }

    // ------------------------------------------------------------------------------------------------- memory

    private ObjectNode rss() throws Exception {
        ObjectNode s = JSON.createObjectNode();
        Processes processes = new Processes(config.pids());
        for (String svc : List.of("ingest", "dedup", "notify")) {
            var handle = processes.running(svc);
            if (handle.isEmpty()) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(handle.get().pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    s.put(svc, round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0));
                }
            }
        }
        out.println("rss_mb (peak): " + s);
        return s;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Starts measuring where a scenario's CPU and database time go. */
    private Probe probe() {
        return new Probe(CpuMeter.start(config), StatementProfile.start(config.postgresPort(), out), out);
    }

    /** A scenario's CPU seconds per part and its most expensive statements, for the report's {@code profile}. */
    private record Probe(CpuMeter cpu, StatementProfile statements, PrintStream out) {
        ObjectNode stop(String... databases) {
            ObjectNode p = JSON.createObjectNode();
            ObjectNode cpuSeconds = p.putObject("cpu_seconds");
            cpu.stop().forEach(cpuSeconds::put);
            out.println("  cpu seconds: " + cpuSeconds);
            ObjectNode threads = p.putObject("jvm_threads_cpu_seconds");
            cpu.threadsSinceStart().forEach((svc, groups) -> {
                ObjectNode g = threads.putObject(svc);
                groups.forEach(g::put);
            });
            p.set("top_statements", statements.top(8, databases));
            return p;
        }
    }

    private void awaitDedupIdle() throws Exception {
        double last = -1;
        long same = 0;
        while (same < 5) {
            double now = dedupConsolidated();
            same = now == last ? same + 1 : 0;
            last = now;
            TimeUnit.MILLISECONDS.sleep(200); // waiting for the previous scenario's backlog to drain
        }
    }

    /**
     * Sightings dedup has stored and had acknowledged by Kafka since it started, from its status endpoint: polled a few
     * times a second, the whole Prometheus scrape (1,400 series) was a sixth of dedup's allocation.
     */
    private double dedupConsolidated() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.dedupPort() + "/api/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("dedup's /api/v1/status answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("sightingsConsolidated").asDouble();
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 131072), new StringSerializer(), new StringSerializer());
    }

    private String title(String prefix, int i) {
        return "A Study of " + WORDS[i % WORDS.length] + " " + WORDS[(i / 7) % WORDS.length] + " (" + prefix + " " + i + ")";
    }

    private String abstractText(int i) {
        StringBuilder b = new StringBuilder();
        Random r = new Random(i);
        while (b.length() < 950) {
            b.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(9) == 0 ? ". " : " ");
        }
        return b.toString().strip();
    }

    /** A Hugging Face daily_papers document of {@code count} papers (realistic size: ~1 KB of title and abstract each). */
    /** Posts one listing document to ingest as source {@code bench}; anything but 202 ends the scenario. */
    private void postListing(byte[] doc) throws Exception {
        postListing(HttpRequest.BodyPublishers.ofByteArray(doc));
    }

    private void postListing(HttpRequest.BodyPublisher doc) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.ingestPort()
                        + "/api/v1/listings?source=bench")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(doc).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new StackException("ingest answered " + r.statusCode() + ": " + r.body());
        }
    }

    private byte[] hfDocument(int from, int count, String prefix) throws Exception {
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

    private String arxivId(String prefix, int i) {
        int base = Math.abs(prefix.hashCode()) % 90 * 10_000_000;
        int n = base + i;
        return String.format("%02d%02d.%05d", 15 + (n / 1_200_000) % 11, 1 + (n / 100_000) % 12, n % 100_000);
    }

    private PaperSighted sighting(String prefix, int i, String source) {
        String title = title(prefix, i);
        return new PaperSighted(source, source.startsWith("hf") ? PaperSighted.SourceKind.HF_DAILY_PAPERS : PaperSighted.SourceKind.ARXIV_API,
                Instant.now(), null, 1, null, null, TitleFingerprint.of(title), List.of(), title, abstractText(i),
                List.of("Author " + (i % 1000)), List.of("cs.LG"), source.startsWith("hf") ? i % 50 : null, null, null);
    }

    private int sightingSize() throws Exception {
        return PaperEventsJson.mapper().writeValueAsBytes(sighting("bench-size", 1, "hf-bench")).length;
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
