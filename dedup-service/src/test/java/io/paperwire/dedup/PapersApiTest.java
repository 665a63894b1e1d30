package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestProducer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The papers API as DESIGN.md gives it: search, trending and recent order, cursor paging, per-source upvotes. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class PapersApiTest {

    static String sight(String source, String title, Integer upvotes, Instant observedAt) throws Exception {
        String eventId = UUID.randomUUID().toString();
        sight(eventId, source, title, upvotes, observedAt);
        return eventId;
    }

    static void sight(String eventId, String source, String title, Integer upvotes, Instant observedAt) throws Exception {
        PaperSighted s = new PaperSighted(source, PaperSighted.SourceKind.HF_DAILY_PAPERS, observedAt, null, 1, null, null,
                TitleFingerprint.of(title), null, title, "An abstract about " + title, List.of("A. Author"), null, upvotes,
                null, null);
        TestProducer.send(PaperTopic.SIGHTINGS.topicName(), s.titleFingerprint(), PaperEventsJson.mapper().writeValueAsString(s),
                CloudEvents.headers(eventId, CloudEvents.TYPE_PAPER_SIGHTED, "/test", observedAt, s.titleFingerprint(),
                        CloudEvents.SCHEMA_PAPER_SIGHTED));
    }

    static JsonPath search(String q, String sort, int limit, String cursor) {
        var req = given().queryParam("q", q).queryParam("sort", sort).queryParam("limit", limit);
        if (cursor != null) {
            req = req.queryParam("cursor", cursor);
        }
        return req.get("/api/v1/papers").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void searchOrdersAndPagesWithoutLosingOrRepeatingPapers() throws Exception {
        String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Instant t = Instant.now();
        for (int i = 0; i < 5; i++) {
            sight("hf-test", "Paper " + i + " on " + word, i * 10, t.plusSeconds(i));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> search(word, "recent", 50, null).getInt("total") == 5);

        JsonPath trending = search(word, "trending", 50, null);
        List<Integer> upvotes = trending.getList("items.upvotes", Integer.class);
        assertThat(upvotes).containsExactly(40, 30, 20, 10, 0);
        assertThat(trending.getList("items.score", Double.class)).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(trending.getString("items[0].id")).isNotBlank();
        assertThat(trending.getString("items[0].abstract")).contains(word);
        assertThat(trending.getList("items[0].sources", String.class)).containsExactly("hf-test");

        for (String sort : List.of("recent", "trending")) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonPath page = search(word, sort, 2, cursor);
                assertThat(page.getInt("total")).isEqualTo(5);
                seen.addAll(page.getList("items.id", String.class));
                cursor = page.getString("next");
                pages++;
            } while (cursor != null);
            assertThat(pages).isEqualTo(3);
            assertThat(seen).as(sort).hasSize(5).doesNotHaveDuplicates();
            if (sort.equals("recent")) {
                assertThat(seen).containsExactlyElementsOf(search(word, "recent", 50, null).getList("items.id", String.class));
            }
        }
    }

    @Test
    void aSearchIsRankedByRelevanceAndReadsTheFilterLanguage() throws Exception {
        String word = "zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Instant t = Instant.now();
        // The word in the title weighs more than in the abstract only; more upvotes would put the other first in trending.
        sight("hf-test", "Sparse " + word + " Routing", 0, t);
        sight("hf-test", "Dense Routing Elsewhere " + word.toUpperCase(java.util.Locale.ROOT).substring(0, 4) + "x", 50, t);
        sight("hf-test", "Quantised Experts", 90, t);
        await().atMost(Duration.ofSeconds(60)).until(() -> search("routing " + word, null, 50, null).getInt("total") == 1
                && search("experts author:\"A. Author\"", null, 200, null).getInt("total") >= 1);

        JsonPath relevance = search(word, null, 50, null);
        assertThat(relevance.getList("items.title", String.class)).as("the default order with words: relevance").first()
                .isEqualTo("Sparse " + word + " Routing");
        assertThat(search(word + " -sparse", null, 50, null).getInt("total")).as("-word rules a paper out").isZero();
        assertThat(search("\"routing sparse\" " + word, null, 50, null).getInt("total")).as("a phrase keeps its order").isZero();
        assertThat(search("\"sparse " + word + " routing\"", null, 50, null).getInt("total")).isEqualTo(1);
        assertThat(search(word + " author:\"A. Author\"", null, 50, null).getInt("total")).isEqualTo(1);
        assertThat(search(word + " author:nobody", null, 50, null).getInt("total")).isZero();

        // Relevance pages like the other orders: all papers once.
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = search("routing or experts", "relevance", 1, cursor);
            seen.addAll(page.getList("items.id", String.class));
            cursor = page.getString("next");
        } while (cursor != null && seen.size() < 10_000);
        assertThat(seen).doesNotHaveDuplicates().hasSize(search("routing or experts", "relevance", 200, null).getInt("total"));

        given().queryParam("q", "x".repeat(301)).get("/api/v1/papers").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.endsWith("invalid-filter"));
        given().queryParam("sort", "best").get("/api/v1/papers").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("'relevance', 'trending' or 'recent'"));
    }

    @Test
    void upvotesAreTheLatestOfEachSourceSummed() throws Exception {
        String title = "Upvote Accounting " + UUID.randomUUID();
        Instant t = Instant.now();
        sight("hf-a", title, 5, t);
        sight("hf-a", title, 9, t.plusSeconds(60));
        sight("hf-b", title, 3, t.plusSeconds(30));
        sight("hf-a", title, 1, t.minusSeconds(600)); // older news arriving late: not the latest
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath p = given().queryParam("q", title).get("/api/v1/papers").then().extract().jsonPath();
            return p.getInt("total") == 1 && p.getInt("items[0].sightings") == 4;
        });
        JsonPath p = given().queryParam("q", title).get("/api/v1/papers").then().extract().jsonPath();
        assertThat(p.getInt("items[0].upvotes")).isEqualTo(12);
        assertThat(p.getList("items[0].sources", String.class)).containsExactly("hf-a", "hf-b");
    }

    @Test
    void replayingEventsChangesNothing() throws Exception {
        String title = "Replayed Paper " + UUID.randomUUID();
        String id1 = UUID.randomUUID().toString();
        String id2 = UUID.randomUUID().toString();
        Instant t = Instant.now();
        sight(id1, "hf-r", title, 4, t);
        sight(id2, "hf-r", title, 6, t.plusSeconds(1));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                given().queryParam("q", title).get("/api/v1/papers").then().extract().jsonPath().getInt("items[0].sightings") == 2);
        String paperId = given().queryParam("q", title).get("/api/v1/papers").then().extract().path("items[0].id");
        int revision = given().get("/api/v1/papers/" + paperId).then().extract().path("revision");

        sight(id1, "hf-r", title, 4, t);
        sight(id2, "hf-r", title, 6, t.plusSeconds(1));
        // A marker (another paper) sent under the same key, so onto the same partition behind both replays:
        // once it is consolidated, the replays have been consumed.
        String marker = UUID.randomUUID().toString();
        PaperSighted m = new PaperSighted("hf-r", PaperSighted.SourceKind.HF_DAILY_PAPERS, t, null, 1, null, null,
                TitleFingerprint.of("Marker " + marker), null, "Marker " + marker, null, null, null, null, null, null);
        TestProducer.send(PaperTopic.SIGHTINGS.topicName(), TitleFingerprint.of(title), PaperEventsJson.mapper().writeValueAsString(m),
                CloudEvents.headers(marker, CloudEvents.TYPE_PAPER_SIGHTED, "/test", t, TitleFingerprint.of(title),
                        CloudEvents.SCHEMA_PAPER_SIGHTED));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                given().queryParam("q", "Marker " + marker).get("/api/v1/papers").then().extract().jsonPath().getInt("total") >= 1);

        given().get("/api/v1/papers/" + paperId).then().statusCode(200)
                .body("sightings", equalTo(2)).body("upvotes", equalTo(6)).body("revision", equalTo(revision))
                .body("sightingHistory.size()", equalTo(2));
    }

    @Test
    void badParametersAreProblems() {
        given().get("/api/v1/papers?sort=hot").then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid sort"));
        given().get("/api/v1/papers?cursor=garbage").then().statusCode(400).body("title", equalTo("Invalid cursor"));
        // Well-formed but tampered: the right sort and fields, a sort key that is not a number or a time.
        for (String[] tampered : new String[][] {{"trending", "TRENDING|2026-12-01T00:00:00Z|not-a-score|" + UUID.randomUUID()},
                {"recent", "RECENT|2026-12-01T00:00:00Z|yesterday|" + UUID.randomUUID()}}) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(tampered[1].getBytes(StandardCharsets.UTF_8));
            given().get("/api/v1/papers?sort=" + tampered[0] + "&cursor=" + cursor).then().statusCode(400)
                    .contentType("application/problem+json").body("title", equalTo("Invalid cursor"));
        }
        given().get("/api/v1/papers?limit=201").then().statusCode(400);
    }
}
