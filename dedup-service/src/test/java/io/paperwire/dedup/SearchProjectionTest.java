package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestProducer;
import io.paperwire.testing.TopicReader;
import io.paperwire.events.identity.TitleFingerprint;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Search is a projection of the published states (its own consumer of paper.consolidated.v1): it follows the canonical
 * text, makes no document for a state whose text did not change, never lets a replayed older state replace a newer
 * document, forgets absorbed papers, skips what is not a paper event, and reports its lag.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class SearchProjectionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    EntityManager em;

    static void send(PaperSighted s) throws Exception {
        String eventId = UUID.randomUUID().toString();
        TestProducer.send(PaperTopic.SIGHTINGS.topicName(), s.titleFingerprint(), PaperEventsJson.mapper().writeValueAsString(s),
                CloudEvents.headers(eventId, CloudEvents.TYPE_PAPER_SIGHTED, "/test", s.observedAt(), s.titleFingerprint(),
                        CloudEvents.SCHEMA_PAPER_SIGHTED));
    }

    static List<String> found(String word) {
        return PapersApiTest.search(word, "recent", 10, null).getList("items.id", String.class);
    }

    /** The stored document's revision, or empty if the paper has none. */
    Optional<Long> documentRevision(String paperId) {
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select revision from paper_search where paper_id = cast(?1 as uuid)").setParameter(1, paperId).getResultList());
        return rows.stream().findFirst().map(r -> ((Number) r).longValue());
    }

    /** Every state dedup published, in topic order, of the paper with this fingerprint. */
    static List<PaperConsolidated> states(String fingerprint) {
        return TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()).stream().filter(ConsolidationRoundTripTest::isState)
                .map(ConsolidationRoundTripTest::parse).filter(p -> p.titleFingerprint().equals(fingerprint)).toList();
    }

    /** The last state of the paper with this fingerprint that dedup published. */
    static PaperConsolidated published(String fingerprint, long revision) {
        return await().atMost(WAIT).until(() -> HostileSightingsTest.state(fingerprint), s -> s.isPresent() && s.get().revision() >= revision)
                .get();
    }

    @Test
    void searchFollowsTheCanonicalTextAndAnUnchangedTextMakesNoDocument() throws Exception {
        String w = IdentityRulesTest.word();
        String arxiv = IdentityRulesTest.arxiv(w);
        String first = "firstword" + w;
        String second = "secondword" + w;
        String title = "Searchable Papers " + w;
        Instant t0 = CanonicalRecordTest.T0;
        send(CanonicalRecordTest.sighting(PaperSighted.SourceKind.ARXIV_API, t0, arxiv, title, "About " + first + ".", List.of("A. One"), null));
        String id = await().atMost(WAIT).until(() -> found(first), ids -> ids.size() == 1).get(0);

        // A revised abstract: the document follows the published state.
        send(CanonicalRecordTest.sighting(PaperSighted.SourceKind.ARXIV_API, t0.plusSeconds(86400), arxiv, title, "About " + second + ".",
                List.of("A. One"), null));
        await().atMost(WAIT).until(() -> found(second), ids -> ids.equals(List.of(id)));
        assertThat(found(first)).isEmpty();
        PaperConsolidated revised = published(TitleFingerprint.of(title), 2);
        assertThat(documentRevision(id)).contains(revised.revision());

        // A weaker, later listing only counts: a new state, the same text, so no new document (the revision stays).
        send(CanonicalRecordTest.sighting(PaperSighted.SourceKind.LISTING_TEXT, t0.plusSeconds(2 * 86400), null, title, null, List.of(), 3));
        PaperConsolidated counted = published(TitleFingerprint.of(title), revised.revision() + 1);
        assertThat(counted.changeType()).isEqualTo(PaperConsolidated.ChangeType.UPDATED);
        awaitProjectionCaughtUp();
        assertThat(documentRevision(id)).contains(revised.revision());
        assertThat(found(second)).containsExactly(id);

        // The first state read again from the topic (a replay, a reset group): older than the document, so ignored.
        PaperConsolidated firstState = states(TitleFingerprint.of(title)).get(0);
        assertThat(firstState.revision()).isLessThan(revised.revision());
        publishState(firstState);
        awaitProjectionCaughtUp();
        assertThat(found(first)).isEmpty();
        assertThat(found(second)).containsExactly(id);
        // The topic's last record of the paper is its latest state again, for whoever reads the topic after this test.
        publishState(counted);

        // The projection says how far behind it is.
        var status = given().get("/api/v1/status").then().statusCode(200).extract().jsonPath();
        assertThat(status.getLong("search.lagMillis")).isBetween(0L, WAIT.toMillis());
        assertThat(status.getString("search.lastBatchAt")).isNotNull();
        assertThat(status.getString("search.stalledReason")).isNull();
    }

    @Test
    void aTombstoneForgetsThePaperAndARecordThatIsNoEventIsSkipped() throws Exception {
        String w = IdentityRulesTest.word();
        String word = "tombword" + w;
        String title = "Soon Absorbed " + w;
        send(CanonicalRecordTest.sighting(PaperSighted.SourceKind.LISTING_TEXT, CanonicalRecordTest.T0, null, title, "About " + word + ".",
                List.of(), null));
        String id = await().atMost(WAIT).until(() -> found(word), ids -> ids.size() == 1).get(0);
        assertThat(documentRevision(id)).isPresent();

        // Garbage under the paper's key first, then its tombstone: the garbage is skipped, the tombstone still applied.
        double skippedBefore = skipped();
        TestProducer.send(PaperTopic.CONSOLIDATED.topicName(), id, "{not json", Map.of());
        TestProducer.send(PaperTopic.CONSOLIDATED.topicName(), id, null, Map.of());
        await().atMost(WAIT).until(() -> documentRevision(id).isEmpty());
        assertThat(skipped()).isEqualTo(skippedBefore + 1);
    }

    @Test
    void aDatabaseOutageStallsTheProjectionWhichAppliesWhatArrivedMeanwhileOnceItIsBack() throws Exception {
        String w = IdentityRulesTest.word();
        String word = "outageword" + w;
        send(CanonicalRecordTest.sighting(PaperSighted.SourceKind.LISTING_TEXT, CanonicalRecordTest.T0, null, "Searched Through An Outage " + w,
                "About " + word + ".", List.of(), null));
        String id = await().atMost(WAIT).until(() -> found(word), ids -> ids.size() == 1).get(0);
        awaitProjectionCaughtUp();
        long appliedBefore = given().get("/api/v1/status").then().statusCode(200).extract().jsonPath().getLong("search.statesApplied");
        double skippedBefore = skipped();
        try {
            DatabaseOutageTest.database(false);
            // A change that reaches the projection while it cannot write: the paper's tombstone.
            TestProducer.send(PaperTopic.CONSOLIDATED.topicName(), id, null, Map.of());
            var stalled = await().atMost(WAIT).until(() -> given().get("/api/v1/status").then().statusCode(200).extract().jsonPath(),
                    s -> s.getString("search.stalledReason") != null);
            // Its lag is the waiting change's age, growing while the database is away, not the last batch's.
            long lag = stalled.getLong("search.lagMillis");
            await().atMost(WAIT).until(() -> given().get("/api/v1/status").then().extract().jsonPath().getLong("search.lagMillis") > lag + 1000);
            assertThat(given().get("/api/v1/status").then().extract().jsonPath().getLong("search.statesApplied")).isEqualTo(appliedBefore);
        } finally {
            DatabaseOutageTest.database(true);
        }
        // Nothing skipped: the change is applied once the database is back, and the projection says it is well again.
        await().atMost(Duration.ofSeconds(90)).until(() -> documentRevision(id).isEmpty());
        var status = await().atMost(WAIT).until(() -> given().get("/api/v1/status").then().statusCode(200).extract().jsonPath(),
                s -> s.getString("search.stalledReason") == null);
        assertThat(status.getLong("search.statesApplied")).isGreaterThan(appliedBefore);
        assertThat(skipped()).as("a database failure is retried, never skipped").isEqualTo(skippedBefore);
        awaitProjectionCaughtUp();
    }

    private static double skipped() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("paperwire_dedup_search_skipped_total")).mapToDouble(l -> Double.parseDouble(
                l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Waits until the projection committed every record on the topic (it commits only what it applied). */
    private static void awaitProjectionCaughtUp() {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> TopicReader.lag("paperwire-dedup-search", PaperTopic.CONSOLIDATED.topicName()) == 0);
    }

    private static void publishState(PaperConsolidated state) throws Exception {
        TestProducer.send(PaperTopic.CONSOLIDATED.topicName(), state.paperId(), PaperEventsJson.mapper().writeValueAsString(state),
                CloudEvents.headers(state.paperId() + "/" + state.revision(), CloudEvents.TYPE_PAPER_CONSOLIDATED, "/test",
                        state.updatedAt(), state.paperId(), CloudEvents.SCHEMA_PAPER_CONSOLIDATED));
    }
}
