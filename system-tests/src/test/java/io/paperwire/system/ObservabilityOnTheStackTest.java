package io.paperwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator watches, on the local stack (one stack for both, with tracing on as the production overlay has it):
 * <ul>
 * <li>Tracing: a listing document is one trace from the HTTP request through Kafka, dedup, Kafka again and notify.
 * A client posts documents each under a trace of its own (W3C traceparent), and the spans the three services export
 * by OTLP form, per document, one connected tree under the client's span, reaching all three services, sharing nothing
 * with another document's trace.</li>
 * <li>Completeness: per source and listing day, what the source's documents announced, what ingest published and what
 * dedup consolidated. A whole day is complete; a day with an entry no parser could read falls short at the ingest
 * stage, in the report and in the shortfall gauge the alert watches; a growing list re-posted and a harvest's second
 * page are counted as one day's papers, not twice.</li>
 * </ul>
 */
class ObservabilityOnTheStackTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static OtlpReceiver receiver;
    private static LaunchedStack stack;

    @BeforeAll
    static void up() throws Exception {
        receiver = OtlpReceiver.start();
        // Days settle after a second (not an hour), and the report is remade every second.
        Path config = Files.createDirectories(Path.of("target", "system-tests")).resolve("completeness-" + UUID.randomUUID() + ".properties");
        Files.writeString(config, "paperwire.ingest.completeness.settle=PT1S\npaperwire.ingest.completeness.refresh=1s\n");
        stack = LaunchedStack.up(Map.of("PAPERWIRE_INGEST_CONFIG", config.toAbsolutePath().toString(),
                "PAPERWIRE_OTLP_ENDPOINT", receiver.endpoint(), "PAPERWIRE_OTLP_PROTOCOL", "http/protobuf"));
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aWholeDayIsCompleteAndADayWithAnUnreadableEntryFallsShortAtIngest() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String whole = "whole-" + run;
        String shortSource = "short-" + run;
        // A growing daily list: posted with two papers, then with three (one new); and a second "page" with one more.
        post(whole, papers(run, "A", "B"));
        post(whole, papers(run, "A", "B", "C"));
        post(whole, papers(run, "D"));
        // A document whose last entry is a title without an abstract: announced, not readable, not published.
        post(shortSource, papers(run, "E", "F") + "\nA Dangling Title Without Its Abstract " + run + "\n");

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode[] days = new JsonNode[2];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode report = JSON.readTree(get(stack.url("ingest", "/api/v1/sources/completeness?refresh=true")));
            assertThat(report.path("catalogueError").isNull()).as(report.toString()).isTrue();
            days[0] = day(report, whole, today);
            days[1] = day(report, shortSource, today);
            assertThat(days[0].path("consolidated").asLong()).as("dedup holds the whole day").isEqualTo(4);
            assertThat(days[1].path("consolidated").asLong()).isEqualTo(2);
            assertThat(days[1].path("settled").asBoolean()).isTrue();
        });
        assertThat(days[0].path("announced").asInt()).as("A, B, C, D: re-posts and pages counted once").isEqualTo(4);
        assertThat(days[0].path("ingested").asInt()).isEqualTo(4);
        assertThat(days[0].path("missingIngest").asInt()).isZero();
        assertThat(days[0].path("missingConsolidation").asLong()).isZero();
        assertThat(days[0].path("complete").asBoolean()).isTrue();

        assertThat(days[1].path("announced").asInt()).as("E, F and the unreadable entry").isEqualTo(3);
        assertThat(days[1].path("ingested").asInt()).isEqualTo(2);
        assertThat(days[1].path("rejected").asInt()).isEqualTo(1);
        assertThat(days[1].path("missingIngest").asInt()).isEqualTo(1);
        assertThat(days[1].path("missingConsolidation").asLong()).isZero();
        assertThat(days[1].path("complete").asBoolean()).isFalse();

        // The gauge the alert watches, on ingest's management port.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String metrics = get(stack.managementUrl("ingest", "/q/metrics"));
            assertThat(metrics).contains("paperwire_ingest_source_shortfall{source=\"" + shortSource + "\",stage=\"ingest\"} 1.0")
                    .contains("paperwire_ingest_source_shortfall{source=\"" + shortSource + "\",stage=\"consolidate\"} 0.0")
                    .contains("paperwire_ingest_source_shortfall{source=\"" + whole + "\",stage=\"ingest\"} 0.0");
        });
        // dedup's side of it, as ingest asks for it.
        JsonNode dedupDays = JSON.readTree(get(stack.url("dedup", "/api/v1/sources/days?since=" + today)));
        assertThat(dedupDays.findValuesAsText("source")).contains(whole, shortSource);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("dedup", "/api/v1/sources/days?since=1999-01-01"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("more than 31 days back is refused").isEqualTo(400);
    }

    @Test
    void eachPostedDocumentIsOneConnectedTraceThroughTheThreeServices() throws Exception {
        // trace id -> the client's own span id (the root every span of the trace must lead back to)
        Map<String, String> documents = new LinkedHashMap<>();
        for (int d = 0; d < 2; d++) {
            String traceId = HexFormat.of().formatHex(bytes(16));
            String clientSpan = HexFormat.of().formatHex(bytes(8));
            String run = UUID.randomUUID().toString().substring(0, 8);
            String listing = "A Traced Listing Document Number " + d + " Run " + run + "\n\nIts abstract.\n\n"
                    + "Another Paper Of The Traced Document " + d + " Run " + run + "\n\nAnother abstract.\n";
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("ingest", "/api/v1/listings?source=traced-" + d)))
                    .header("Authorization", "Bearer " + stack.token).header("Content-Type", "text/plain")
                    .header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                    .POST(HttpRequest.BodyPublishers.ofString(listing)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            documents.put(traceId, clientSpan);
        }

        for (Map.Entry<String, String> doc : documents.entrySet()) {
            String traceId = doc.getKey();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(receiver.ofTrace(traceId).stream().map(OtlpReceiver.ReceivedSpan::service).collect(Collectors.toSet()))
                            .as("services in trace " + traceId).contains("ingest-service", "dedup-service", "notify-service"));
            List<OtlpReceiver.ReceivedSpan> spans = receiver.ofTrace(traceId);
            Set<String> ids = spans.stream().map(OtlpReceiver.ReceivedSpan::spanId).collect(Collectors.toSet());
            for (OtlpReceiver.ReceivedSpan s : spans) {
                assertThat(s.parentSpanId()).as(s + ": its parent is the client's span or a span of the same trace")
                        .isIn(union(ids, doc.getValue()));
            }
            // The chain really crosses the hops: a dedup span under an ingest span, a notify span under a dedup span.
            assertThat(childOf(spans, "dedup-service", "ingest-service")).as("dedup under ingest").isTrue();
            assertThat(childOf(spans, "notify-service", "dedup-service")).as("notify under dedup").isTrue();
        }
        Set<String> spanIdsA = ids(receiver.ofTrace(List.copyOf(documents.keySet()).get(0)));
        Set<String> spanIdsB = ids(receiver.ofTrace(List.copyOf(documents.keySet()).get(1)));
        spanIdsA.retainAll(spanIdsB);
        assertThat(spanIdsA).as("two documents share no span").isEmpty();
    }

    private static boolean childOf(List<OtlpReceiver.ReceivedSpan> spans, String childService, String parentService) {
        Set<String> parents = spans.stream().filter(s -> s.service().equals(parentService)).map(OtlpReceiver.ReceivedSpan::spanId)
                .collect(Collectors.toSet());
        return spans.stream().anyMatch(s -> s.service().equals(childService) && parents.contains(s.parentSpanId()));
    }

    private static Set<String> ids(List<OtlpReceiver.ReceivedSpan> spans) {
        return spans.stream().map(OtlpReceiver.ReceivedSpan::spanId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> union(Set<String> ids, String more) {
        Set<String> all = new TreeSet<>(ids);
        all.add(more);
        return all;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static JsonNode day(JsonNode report, String source, String day) {
        for (JsonNode d : report.path("days")) {
            if (d.path("source").asText().equals(source) && d.path("day").asText().equals(day)) {
                return d;
            }
        }
        throw new AssertionError("no day " + day + " of " + source + " in " + report);
    }

    private static String papers(String run, String... names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append("Completeness Paper ").append(n).append(" Of Run ").append(run).append("\n\nThe abstract of paper ").append(n).append(".\n\n");
        }
        return b.toString();
    }

    private static void post(String source, String listing) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("ingest", "/api/v1/listings?source=" + source)))
                .header("Authorization", "Bearer " + stack.token).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(listing)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
