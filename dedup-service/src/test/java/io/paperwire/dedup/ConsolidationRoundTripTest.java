package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.Link;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.OperationalEndpoints;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestProducer;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Round trip through the real broker and database: sightings in, one consolidated paper out, poison to the DLQ. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class ConsolidationRoundTripTest {

    static void sight(String eventId, String title, String arxivId, String raw) throws Exception {
        List<Link> links = arxivId == null ? List.of(new Link("huggingface", "https://hf.co/x"))
                : List.of(new Link("pdf", "https://arxiv.org/pdf/" + arxivId));
        PaperSighted s = new PaperSighted("test", PaperSighted.SourceKind.ARXIV_API, Instant.now(), null, 1, arxivId,
                null, TitleFingerprint.of(title), raw == null ? List.of() : List.of(raw), title, "An abstract.",
                List.of("Ada Lovelace"), arxivId == null ? List.of("cs.LG") : List.of("cs.LG", "stat.ML"), 3, links, null);
        TestProducer.send(PaperTopic.SIGHTINGS.topicName(), s.titleFingerprint(),
                PaperEventsJson.mapper().writeValueAsString(s),
                CloudEvents.headers(eventId, CloudEvents.TYPE_PAPER_SIGHTED, "/test", s.observedAt(), s.titleFingerprint(),
                        CloudEvents.SCHEMA_PAPER_SIGHTED));
    }

    static Optional<PaperConsolidated> latestState(String fingerprint, long minRevision) {
        return TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()).stream()
                .filter(ConsolidationRoundTripTest::isState).map(ConsolidationRoundTripTest::parse)
                .filter(p -> p.titleFingerprint().equals(fingerprint) && p.revision() >= minRevision)
                .reduce((a, b) -> b);
    }

    /** Whether a record of paper.consolidated.v1 is a paper's state (not a merged-into event or a tombstone). */
    static boolean isState(ConsumerRecord<String, String> r) {
        var type = r.headers().lastHeader(CloudEvents.HEADER_TYPE);
        return r.value() != null && type != null
                && CloudEvents.TYPE_PAPER_CONSOLIDATED.equals(new String(type.value(), StandardCharsets.UTF_8));
    }

    static PaperConsolidated parse(ConsumerRecord<String, String> r) {
        try {
            PaperConsolidated p = PaperEventsJson.mapper().readValue(r.value(), PaperConsolidated.class);
            assertThat(r.key()).isEqualTo(p.paperId());
            assertThat(new String(r.headers().lastHeader(CloudEvents.HEADER_ID).value(), StandardCharsets.UTF_8))
                    .isEqualTo(p.paperId() + "/" + p.revision());
            return p;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sightingsOfOnePaperConsolidateAndARedeliveryCountsOnce() throws Exception {
        String title = "Round Trip " + UUID.randomUUID();
        String fp = TitleFingerprint.of(title);
        String first = UUID.randomUUID().toString();
        sight(first, title, null, null);
        PaperConsolidated v1 = await().atMost(Duration.ofSeconds(60)).until(() -> latestState(fp, 1), Optional::isPresent).get();
        assertThat(v1.sightings()).isEqualTo(1);
        assertThat(v1.arxivId()).isNull();
        assertThat(v1.changeType()).isEqualTo(PaperConsolidated.ChangeType.CREATED);

        // Redelivery of the same event, then a new sighting that brings an arXiv id (line breaks in the title).
        sight(first, title, null, null);
        sight(UUID.randomUUID().toString(), title.replace(" ", "\n  "), "2401.12345", "arXiv:2401.12345v2");
        PaperConsolidated v2 = await().atMost(Duration.ofSeconds(60))
                .until(() -> latestState(fp, 0).filter(p -> p.arxivId() != null), Optional::isPresent).get();
        assertThat(v2.paperId()).isEqualTo(v1.paperId());
        assertThat(v2.sightings()).as("the redelivered event is counted once").isEqualTo(2);
        assertThat(v2.revision()).isGreaterThan(v1.revision());
        assertThat(v2.changeType()).isEqualTo(PaperConsolidated.ChangeType.IDENTIFIERS_ADDED);
        assertThat(v2.categories()).containsExactly("cs.LG", "stat.ML");
        assertThat(v2.links()).extracting(Link::rel).containsExactly("huggingface", "pdf");

        given().get("/api/v1/papers/" + v1.paperId()).then().statusCode(200)
                .body("id", equalTo(v1.paperId()))
                .body("sightings", equalTo(2))
                .body("arxivId", equalTo("2401.12345"))
                .body("sources", Matchers.contains("test"))
                .body("sightingHistory.size()", equalTo(2))
                .body("evidence.size()", equalTo(2))
                .body("evidence.find { it.kind == 'arxiv' }.value", equalTo("2401.12345"))
                .body("evidence.find { it.kind == 'arxiv' }.rawIdentifiers[0]", equalTo("arXiv:2401.12345v2"))
                .body("evidence.find { it.kind == 'title' }.value", equalTo(fp))
                .body("evidence.find { it.kind == 'title' }.eventId", equalTo(first))
                .body("titleAliases", Matchers.empty());
    }

    @Test
    void aPoisonRecordGoesToTheDlqWithItsReasonAndThePartitionMovesOn() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        TestProducer.send(PaperTopic.SIGHTINGS.topicName(), key, "{not json",
                CloudEvents.headers(UUID.randomUUID().toString(), CloudEvents.TYPE_PAPER_SIGHTED, "/test", Instant.now(), key,
                        CloudEvents.SCHEMA_PAPER_SIGHTED));
        // Same key, so same partition: it must be processed after the poison record.
        String title = "After The Poison " + UUID.randomUUID();
        PaperSighted next = new PaperSighted("test", PaperSighted.SourceKind.LISTING_TEXT, Instant.now(), null, null, null,
                null, TitleFingerprint.of(title), null, title, null, null, null, null, null, null);
        TestProducer.send(PaperTopic.SIGHTINGS.topicName(), key, PaperEventsJson.mapper().writeValueAsString(next),
                CloudEvents.headers(UUID.randomUUID().toString(), CloudEvents.TYPE_PAPER_SIGHTED, "/test", Instant.now(), key,
                        CloudEvents.SCHEMA_PAPER_SIGHTED));

        ConsumerRecord<String, String> dead = await().atMost(Duration.ofSeconds(60)).until(
                () -> TopicReader.readToEnd(PaperTopic.SIGHTINGS_DLQ.topicName()).stream()
                        .filter(r -> key.equals(r.key())).findFirst(), Optional::isPresent).get();
        assertThat(dead.value()).isEqualTo("{not json");
        assertThat(new String(dead.headers().lastHeader(CloudEvents.HEADER_DLQ_REASON).value(), StandardCharsets.UTF_8))
                .contains("not a PaperSighted event");
        assertThat(dead.headers().lastHeader(CloudEvents.HEADER_ID)).as("original headers kept").isNotNull();
        assertThat(new String(dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
                .isEqualTo(PaperTopic.SIGHTINGS.topicName());
        assertThat(dead.headers().lastHeader("dead-letter-partition")).isNotNull();
        assertThat(dead.headers().lastHeader("dead-letter-offset")).isNotNull();

        await().atMost(Duration.ofSeconds(60)).until(() -> latestState(TitleFingerprint.of(title), 1), Optional::isPresent);
    }

    @Test
    void unknownPaperIsAProblem() {
        given().get("/api/v1/papers/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("title", equalTo("Paper not found"));
        given().get("/api/v1/papers?limit=0").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void operationalEndpointsAnswer() throws Exception {
        OperationalEndpoints.assertServed("/api/v1/papers");
        // The consolidation metrics the README and the dashboards name, once a batch has been consumed.
        sight(UUID.randomUUID().toString(), "Metrics Probe " + UUID.randomUUID(), null, null);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(Matchers.allOf(
                        containsString("paperwire_dedup_sightings_consumed_total"),
                        containsString("paperwire_dedup_papers_created_total"),
                        containsString("paperwire_dedup_batch_size_count"),
                        containsString("paperwire_dedup_batch_duration_seconds_bucket"),
                        containsString("kafka_consumer_fetch_manager_records_lag_max"))));
    }
}
