package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.PaperIdentifiers;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestIds;
import io.paperwire.testing.TestProducer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** DESIGN.md's identity rules, each on its own case, through the real broker and database. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class IdentityRulesTest {

    static void sight(String title, String... rawIds) throws Exception {
        PaperIdentifiers ids = PaperIdentifiers.resolve(Arrays.asList(rawIds));
        PaperSighted s = new PaperSighted("rules", PaperSighted.SourceKind.ARXIV_API, Instant.now(), null, 1, ids.arxivId(),
                ids.doi(), TitleFingerprint.of(title), ids.rawIdentifiers(), title, null, null, null, null, null, null);
        TestProducer.send(PaperTopic.SIGHTINGS.topicName(), s.titleFingerprint(), PaperEventsJson.mapper().writeValueAsString(s),
                CloudEvents.headers(UUID.randomUUID().toString(), CloudEvents.TYPE_PAPER_SIGHTED, "/test", s.observedAt(),
                        s.titleFingerprint(), CloudEvents.SCHEMA_PAPER_SIGHTED));
    }

    /** Papers whose title or abstract has {@code word}, once {@code sightings} sightings of them are folded in. */
    static JsonPath papersWith(String word, int sightings) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath p = given().queryParam("q", word).queryParam("limit", 50).get("/api/v1/papers").then().extract().jsonPath();
            return p.getList("items.sightings", Integer.class).stream().mapToInt(Integer::intValue).sum() == sightings;
        });
        return given().queryParam("q", word).queryParam("limit", 50).get("/api/v1/papers").then().extract().jsonPath();
    }

    static String word() {
        return "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The same id for the same word, and no other test's id. */
    static String arxiv(String word) {
        return ARXIV_BY_WORD.computeIfAbsent(word, w -> TestIds.arxivId());
    }

    private static final Map<String, String> ARXIV_BY_WORD = new ConcurrentHashMap<>();

    @Test
    void arxivVersionsAreOnePaperEvenWhenTheTitleChanged() throws Exception {
        String w = word();
        String id = arxiv(w);
        sight("First Title " + w, "arXiv:" + id + "v1");
        sight("A Renamed Second Version " + w, "https://arxiv.org/abs/" + id + "v2");
        JsonPath p = papersWith(w, 2);
        assertThat(p.getInt("total")).isEqualTo(1);
        assertThat(p.getString("items[0].arxivId")).isEqualTo(id);
    }

    @Test
    void equalTitlesWithDifferentIdsAreDifferentPapers() throws Exception {
        String w = word();
        sight("Preface " + w, "arXiv:2402.00001");
        sight("Preface " + w, "arXiv:2402.00002");
        JsonPath p = papersWith(w, 2);
        assertThat(p.getInt("total")).isEqualTo(2);
        assertThat(p.getList("items.arxivId", String.class)).containsExactlyInAnyOrder("2402.00001", "2402.00002");
    }

    @Test
    void aTitleOnlyRecordGainsTheIdOfALaterSighting() throws Exception {
        String w = word();
        sight("Listed Without Ids " + w);
        papersWith(w, 1);
        sight("Listed\n  Without   Ids " + w, "oai:arXiv.org:" + arxiv(w) + "v1");
        JsonPath p = papersWith(w, 2);
        assertThat(p.getInt("total")).isEqualTo(1);
        assertThat(p.getString("items[0].arxivId")).isEqualTo(arxiv(w));
    }

    @Test
    void caseUnicodeAndLatexVariantsOfATitleAreOnePaper() throws Exception {
        String w = word();
        sight("Poincar\\'e Duality for $\\alpha$-Solitons " + w);
        sight("POINCARÉ duality for α‐solitons " + w);
        sight("Poincar&eacute; Duality for &alpha;-Solitons " + w);
        JsonPath p = papersWith(w, 3);
        assertThat(p.getInt("total")).isEqualTo(1);
    }

    @Test
    void theSameDoiIsOnePaperAndAnArxivDoiCountsAsTheArxivId() throws Exception {
        String w = word();
        sight("Journal Version " + w, "https://doi.org/10.1145/" + w);
        sight("Conference Version " + w, "doi:10.1145/" + w.toUpperCase());
        JsonPath p = papersWith(w, 2);
        assertThat(p.getInt("total")).isEqualTo(1);
        assertThat(p.getString("items[0].doi")).isEqualTo("10.1145/" + w);

        String v = word();
        sight("Via DataCite " + v, "10.48550/arXiv." + arxiv(v));
        sight("Via arXiv " + v, "arXiv:" + arxiv(v) + "v3");
        JsonPath q = papersWith(v, 2);
        assertThat(q.getInt("total")).isEqualTo(1);
        assertThat(q.getString("items[0].doi")).isNull();
        assertThat(q.getList("items.arxivId", String.class)).isEqualTo(List.of(arxiv(v)));
    }
}
