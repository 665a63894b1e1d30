package io.paperwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.HostileCorpus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole system as a user runs it: {@code deploy/local/paperwire up} (its launcher, on free ports in a state
 * directory of its own) starts Kafka, PostgreSQL, SMTP and the three services from their packaged jars and loads the
 * two sample listings; then the stories: every other listing format posted, consolidated papers through the API and
 * on the topic, a subscriber confirming and getting the digest by mail, a webhook receiving a validly signed
 * delivery, and a new downstream consumer group rebuilding the whole catalogue from the compacted topic.
 */
class EndToEndStoriesTest {

    private static final Logger KAFKA_LOG = DedupReplicasTest.quiet("org.apache.kafka");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    static LaunchedStack stack;
    static Path home;
    static Path state;
    static Map<String, String> env;
    static String token;

    @BeforeAll
    static void up() throws Exception {
        stack = LaunchedStack.up();
        home = stack.home;
        state = stack.state;
        env = stack.env;
        token = stack.token;
        assertThat(stack.upOutput).contains("Paperwire is up", "42 sightings accepted", "40 sightings accepted");
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static String url(String service, String path) {
        return "http://127.0.0.1:" + env.get("PAPERWIRE_" + service.toUpperCase() + "_PORT") + path;
    }

    @Test
    void everyFormatPostedBecomesConsolidatedPapersInTheApiAndOnTheTopic() throws Exception {
        Path fixtures = home.resolve("ingest-service/src/test/resources/fixtures");
        Map<String, String> formats = Map.of("hf-daily-papers.json", "application/json", "arxiv-api.atom.xml", "application/atom+xml",
                "arxiv-feed.atom.xml", "application/atom+xml", "arxiv.rss.xml", "application/rss+xml",
                "oai-listrecords.xml", "application/xml");
        String run = UUID.randomUUID().toString().substring(0, 6);
        Map<String, Integer> accepted = new HashMap<>();
        for (var f : formats.entrySet()) {
            String source = "e2e-" + run + "-" + f.getKey().replaceAll("[^a-z0-9]+", "-");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("ingest", "/api/v1/listings?source=" + source)))
                    .header("Authorization", "Bearer " + token).header("Content-Type", f.getValue())
                    .POST(HttpRequest.BodyPublishers.ofFile(fixtures.resolve(f.getKey()))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(f.getKey() + ": " + r.body()).isEqualTo(202);
            int n = JSON.readTree(r.body()).path("accepted").asInt();
            assertThat(n).as("entries accepted from " + f.getKey()).isPositive();
            accepted.put(source, n);
        }
        // Each format's own entries are in the catalogue: every accepted sighting of each source is in some paper's
        // history (papers may be shared between formats: the same arXiv id listed by two sources is one paper).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(sightingsPerSource(accepted.keySet())).isEqualTo(accepted));

        // Every paper of the API is on the topic, in its latest state, for anyone to read.
        Set<String> apiIds = apiPaperIds();
        await().atMost(Duration.ofSeconds(60)).until(() -> readCatalogue("e2e-check-" + UUID.randomUUID()).keySet().containsAll(apiIds));
    }

    /** How many sightings of each of these sources the papers API holds, over all papers' histories. */
    private static Map<String, Integer> sightingsPerSource(Set<String> sources) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (String id : apiPaperIds()) {
            JsonNode paper = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url("dedup", "/api/v1/papers/" + id))).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode sighting : paper.path("sightingHistory")) {
                String source = sighting.path("source").asText();
                if (sources.contains(source)) {
                    counts.merge(source, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    @Test
    void aNewDownstreamConsumerGroupRebuildsTheWholeCatalogue() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> papersTotal() >= 47);
        Set<String> apiIds = new HashSet<>();
        Map<String, PaperConsolidated> rebuilt = new HashMap<>();
        // The catalogue may still be growing from another story: compare once both agree, within the wait.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            apiIds.clear();
            apiIds.addAll(apiPaperIds());
            rebuilt.clear();
            rebuilt.putAll(readCatalogue("downstream-" + UUID.randomUUID()));
            return rebuilt.keySet().equals(apiIds);
        });
        assertThat(rebuilt.keySet()).isEqualTo(apiIds);
        // Spot check: the sample papers seen in both listings carry two sightings downstream too.
        assertThat(rebuilt.values().stream().filter(p -> p.sightings() >= 2).count()).isGreaterThanOrEqualTo(35);
    }

    @Test
    void aSubscriberConfirmsAndTheDigestArrivesByMailAndAWebhookGetsASignedDelivery() throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> papersTotal() >= 47);
        String email = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        post(url("notify", "/api/v1/subscriptions"), "{\"email\":\"" + email + "\"}", null, 202);
        JsonNode confirm = stack.awaitMail(email, "Confirm");
        Matcher link = Pattern.compile("http://localhost:\\d+(/subscriptions/confirm\\?token=[A-Za-z0-9_-]+)").matcher(confirm.path("text").asText());
        assertThat(link.find()).isTrue();
        // The link opens a page whose button confirms (a POST): mail scanners' GETs confirm nothing.
        HttpResponse<String> confirmed = HTTP.send(HttpRequest.newBuilder(URI.create(url("notify", link.group(1))))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.body()).contains("Subscription confirmed");

        // A downstream service's webhook receiver: answers the challenge, records what it gets.
        List<String[]> deliveries = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String event = ex.getRequestHeaders().getFirst("Paperwire-Event");
            byte[] answer = "verification".equals(event) ? JSON.readTree(body).path("challenge").asText().getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            if (!"verification".equals(event)) {
                deliveries.add(new String[] {ex.getRequestHeaders().getFirst("Paperwire-Signature"), body});
            }
            ex.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                ex.getResponseBody().write(answer);
            }
            ex.close();
        });
        receiver.start();
        try {
            String secret = JSON.readTree(post(url("notify", "/api/v1/subscriptions"),
                    "{\"webhookUrl\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}", null, 201)).path("secret").asText();

            post(url("notify", "/api/v1/digests/run"), "{}", token, 200);
            JsonNode digest = stack.awaitMail(email, "Paperwire digest");
            assertThat(digest.path("html").asText()).contains("Evidence on Paperwire");
            await().atMost(Duration.ofSeconds(30)).until(() -> !deliveries.isEmpty());
            String[] d = deliveries.get(0);
            Matcher sig = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})").matcher(d[0]);
            assertThat(sig.matches()).as(d[0]).isTrue();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal((sig.group(1) + "." + d[1]).getBytes(StandardCharsets.UTF_8)));
            assertThat(sig.group(2)).isEqualTo(expected);
            assertThat(JSON.readTree(d[1]).path("papers").size()).isPositive();
        } finally {
            receiver.stop(0);
        }
    }

    private static String post(String url, String json, String bearer, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(expected);
        return r.body();
    }

    private static int papersTotal() throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url("dedup", "/api/v1/papers?limit=1"))).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("total").asInt();
    }

    private static Set<String> apiPaperIds() throws Exception {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url("dedup", "/api/v1/papers?limit=100&sort=recent"
                    + (cursor == null ? "" : "&cursor=" + cursor)))).build(), HttpResponse.BodyHandlers.ofString()).body());
            page.path("items").forEach(i -> ids.add(i.path("id").asText()));
            cursor = page.path("next").isNull() || page.path("next").isMissingNode() ? null : page.path("next").asText();
        } while (cursor != null);
        return ids;
    }

    /** What a downstream service does: read the compacted topic from the beginning, keep the latest state per key. */
    private static Map<String, PaperConsolidated> readCatalogue(String group) throws Exception {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + env.get("PAPERWIRE_KAFKA_PORT"),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, PaperConsolidated> papers = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(PaperTopic.CONSOLIDATED.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    var type = r.headers().lastHeader("ce_type");
                    boolean state = r.value() != null && type != null
                            && "io.paperwire.paper.consolidated.v1".equals(new String(type.value(), StandardCharsets.UTF_8));
                    if (!state) {
                        papers.remove(r.key());
                        continue;
                    }
                    PaperConsolidated p = PaperEventsJson.mapper().readValue(r.value(), PaperConsolidated.class);
                    papers.merge(r.key(), p, (a, b) -> b.revision() >= a.revision() ? b : a);
                }
            }
        }
        return papers;
    }

    @Test
    void theBenchmarkSuiteRunsOnTheStackAndWritesItsReport() throws Exception {
        String out = stack.launcher("bench", "--smoke");
        Matcher m = Pattern.compile("report: (\\S+\\.json)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        JsonNode report = JSON.readTree(Files.readString(Path.of(m.group(1))));
        JsonNode s = report.path("scenarios");
        assertThat(s.path("ingest").path("rate").asDouble()).isPositive();
        assertThat(s.path("ingest").path("baselines").path("kafka-producer").asDouble()).isPositive();
        assertThat(s.path("ingest").path("rate_while_consolidating").asDouble()).as("ingest sharing the cores with dedup").isPositive();
        assertThat(s.path("consolidate").path("rate").asDouble()).isPositive();
        assertThat(s.path("consolidate").path("baselines").path("jdbc-upsert").asDouble()).isPositive();
        assertThat(s.path("consolidate").path("baselines").path("debezium-jdbc-sink").asDouble()).isPositive();
        // The floors: the same work with nothing around it (ingest), the design's rows alone (consolidate).
        assertThat(s.path("ingest").path("baselines").path("ingest-floor").asDouble()).isPositive();
        assertThat(s.path("consolidate").path("baselines").path("design-writes").asDouble()).isPositive();
        assertThat(s.path("consolidate").path("baselines").path("search-documents").asDouble()).isPositive();
        // The search projection is reported beside consolidation: it caught up, and its lag was sampled.
        assertThat(s.path("consolidate").path("search").path("rate").asDouble()).isPositive();
        assertThat(s.path("consolidate").path("search").path("records_applied").asInt())
                .isGreaterThanOrEqualTo(s.path("consolidate").path("search").path("records_published").asInt())
                .isGreaterThanOrEqualTo((int) Math.round(s.path("consolidate").path("sightings").asInt() * 0.7));
        // The design-writes floor stored what dedup stores: a row per sighting, a paper (with its title and its count
        // per source on the row) per distinct title; the bench's sightings are 70% distinct papers, the rest second
        // sightings of them from another source. The search documents are the projection's, measured apart.
        int n = s.path("consolidate").path("sightings").asInt();
        JsonNode rows = s.path("consolidate").path("design_writes_rows");
        assertThat(rows.path("sighting").asInt()).isEqualTo(n);
        assertThat(rows.path("paper").asInt()).isEqualTo(Math.round(n * 0.7f));
        assertThat(rows.path("paper_title").asInt()).isEqualTo(rows.path("paper").asInt());
        assertThat(rows.path("paper_search").asInt()).isZero();
        assertThat(rows.path("source_counts_sightings").asInt()).isEqualTo(n);
        // The backfill harvested its whole OAI-PMH list through ingest's poller (the harvest's own count agrees), and
        // every record was consolidated and searchable; ingest was restarted as the stack starts it afterwards.
        JsonNode backfill = s.path("backfill");
        assertThat(backfill.path("records").asInt()).isEqualTo(2_500);
        assertThat(backfill.path("last_harvest").path("delivered").asInt()).isEqualTo(2_500);
        assertThat(backfill.path("last_harvest").path("missing").asInt()).isZero();
        assertThat(backfill.path("seconds").asDouble()).isGreaterThanOrEqualTo(backfill.path("consolidated_seconds").asDouble()).isPositive();
        assertThat(s.path("latency").path("received").asInt()).isEqualTo(s.path("latency").path("sent").asInt()).isPositive();
        assertThat(s.path("latency").path("p99_ms").asDouble()).isGreaterThanOrEqualTo(s.path("latency").path("p50_ms").asDouble());
        // The curve: the goal's rate first, then each lower one, every sighting received and the machine's load read.
        JsonNode curve = s.path("latency").path("curve");
        assertThat(curve.size()).isEqualTo(2);
        assertThat(curve.get(0).path("sightings_per_s").asInt()).isEqualTo(1_000);
        assertThat(curve.get(1).path("sightings_per_s").asInt()).isEqualTo(500);
        assertThat(curve.get(1).path("posted").asInt()).isEqualTo(1_500);
        assertThat(curve.get(1).path("sent").asInt()).as("accepted by ingest").isEqualTo(1_500);
        for (JsonNode step : curve) {
            assertThat(step.path("received").asInt()).as(step.toString()).isEqualTo(step.path("sent").asInt());
            assertThat(step.path("machine_busy").asDouble()).as(step.toString()).isBetween(0.0, 1.0);
            assertThat(step.path("cpu_ms_per_sighting").path("dedup").asDouble()).as(step.toString()).isPositive();
        }
        assertThat(s.path("latency").path("p99_goal_ms").asDouble()).isEqualTo(150.0);
        // The fastest step meeting the goal, if any, is one of the curve's, with every sighting received and its p99 in it.
        JsonNode highest = s.path("latency").path("highest_rate_meeting_goal");
        assertThat(highest.isMissingNode()).isFalse();
        if (!highest.isNull()) {
            JsonNode met = null;
            for (JsonNode step : curve) {
                met = step.path("sightings_per_s").asInt() == highest.asInt() ? step : met;
            }
            assertThat(met).as(curve.toString()).isNotNull();
            assertThat(met.path("p99_ms").asDouble()).isLessThanOrEqualTo(150.0);
            assertThat(met.path("refused").asInt()).isZero();
        }
        assertThat(s.path("fanout").path("sent").asInt()).isEqualTo(20);
        assertThat(s.path("fanout").path("baselines").path("smtp-raw").asDouble()).isPositive();
        for (String svc : List.of("ingest", "dedup", "notify")) {
            assertThat(s.path("rss_mb").path(svc).asDouble()).as(svc).isPositive();
        }
        assertThat(s.path("consolidate").path("profile").path("cpu_seconds").path("dedup").asDouble()).isPositive();
        // Every throughput scenario runs at two sizes and reports how its rate and CPU per unit grew between them.
        for (String scenario : List.of("ingest", "consolidate", "fanout")) {
            JsonNode sizes = s.path(scenario).path("sizes");
            assertThat(sizes.size()).as(scenario).isEqualTo(2);
            assertThat(sizes.get(1).path("cpu_ms_per_unit").asDouble()).as(scenario).isPositive();
            assertThat(s.path(scenario).path("growth").path("work").asDouble()).as(scenario).isEqualTo(2.0);
            assertThat(s.path(scenario).path("growth").path("rate").asDouble()).as(scenario).isPositive();
        }
        assertThat(s.path("consolidate").path("sizes").get(0).path("sightings").asInt()).isEqualTo(500);
        assertThat(report.path("machine").path("cores").asInt()).isPositive();
    }

    @Test
    void aHostileCorpusLeavesEveryServiceUpAndTheGoodEntriesInTheCatalogue() throws Exception {
        Map<String, String> pids = new HashMap<>();
        for (String part : List.of("ingest", "dedup", "notify")) {
            pids.put(part, Files.readString(state.resolve("pids").resolve(part + ".pid")).strip());
        }
        String marker = UUID.randomUUID().toString().substring(0, 8);
        List<String> good = new ArrayList<>();
        // Through the real API: every answer a 202 or a 4xx problem (the local stack's limit is 10 MB).
        for (HostileCorpus.Document d : HostileCorpus.documents(marker, 10L * 1024 * 1024)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("ingest", "/api/v1/listings?source=hostile-" + marker)))
                    .header("Authorization", "Bearer " + token).header("Content-Type", d.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(d.body().get())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(d.name() + " (" + d.why() + "): " + r.body()).isEqualTo(d.status());
            if (d.status() != 202) {
                assertThat(r.headers().firstValue("Content-Type").orElse("")).as(d.name()).startsWith("application/problem+json");
            }
            good.addAll(d.goodTitles());
        }
        // And straight onto the topic, as another producer might: records only the database or the contract refuses.
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + env.get("PAPERWIRE_KAFKA_PORT"),
                ProducerConfig.ACKS_CONFIG, "all");
        List<String> poison = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (String value : List.of(
                    "{\"source\":\"p\",\"sourceKind\":\"listing-text\",\"observedAt\":\"2026-12-01T00:00:00Z\",\"titleFingerprint\":\"nul "
                            + marker + "\",\"title\":\"Nul\\u0000 " + marker + "\"}",
                    "{\"source\":\"p\",\"sourceKind\":\"listing-text\",\"observedAt\":\"+300000-01-01T00:00:00Z\",\"titleFingerprint\":\"future "
                            + marker + "\",\"title\":\"Future " + marker + "\"}",
                    "{not json")) {
                String id = UUID.randomUUID().toString();
                ProducerRecord<String, String> record = new ProducerRecord<>(PaperTopic.SIGHTINGS.topicName(), "poison-" + marker, value);
                record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
                producer.send(record).get(30, TimeUnit.SECONDS);
                poison.add(id);
            }
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> readCatalogue("hostile-" + UUID.randomUUID())
                .values().stream().map(PaperConsolidated::title).toList().containsAll(good));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> deadLetterIds().containsAll(poison));
        JsonNode status = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url("dedup", "/api/v1/status"))).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(status.path("stalled").asBoolean()).as(status.toString()).isFalse();
        for (String part : List.of("ingest", "dedup", "notify")) {
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (Integer.parseInt(env.get("PAPERWIRE_" + part.toUpperCase() + "_PORT")) + 1000) + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(part + " ready").isEqualTo(200);
            assertThat(Files.readString(state.resolve("pids").resolve(part + ".pid")).strip()).as(part + " not restarted").isEqualTo(pids.get(part));
            assertThat(Files.readString(state.resolve("logs").resolve(part + ".log"))).as(part + " log").doesNotContain("OutOfMemoryError");
        }
    }

    /** The event ids on the DLQ, each with its reason. */
    private static Set<String> deadLetterIds() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + env.get("PAPERWIRE_KAFKA_PORT"),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(PaperTopic.SIGHTINGS_DLQ.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    var id = r.headers().lastHeader("ce_id");
                    var reason = r.headers().lastHeader(CloudEvents.HEADER_DLQ_REASON);
                    if (id != null && reason != null && reason.value().length > 0) {
                        ids.add(new String(id.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return ids;
    }

    /** The end of each part's log, so that a failure on a CI machine can be read from its output alone. */
}
