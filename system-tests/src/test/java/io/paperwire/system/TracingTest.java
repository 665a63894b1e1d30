package io.paperwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A listing document is one trace from the HTTP request through Kafka, dedup, Kafka again and notify: the local stack
 * runs with tracing on (PAPERWIRE_OTLP_ENDPOINT, as the production overlay turns it on), a client posts documents each
 * under a trace of its own (W3C traceparent), and the spans the three services export by OTLP form, per document, one
 * connected tree under the client's span, reaching all three services, sharing nothing with another document's trace.
 */
class TracingTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void eachPostedDocumentIsOneConnectedTraceThroughTheThreeServices() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start();
             LaunchedStack stack = LaunchedStack.up(Map.of("PAPERWIRE_OTLP_ENDPOINT", receiver.endpoint(),
                     "PAPERWIRE_OTLP_PROTOCOL", "http/protobuf"))) {
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
}
