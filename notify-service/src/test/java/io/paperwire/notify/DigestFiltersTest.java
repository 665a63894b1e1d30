package io.paperwire.notify;

import static io.paperwire.notify.Subscribers.address;
import static io.paperwire.notify.Subscribers.awaitMail;
import static io.paperwire.notify.Subscribers.mails;
import static io.paperwire.notify.Subscribers.paper;
import static io.paperwire.notify.Subscribers.papers;
import static io.paperwire.notify.Subscribers.runDigests;
import static io.paperwire.notify.Subscribers.subscribe;
import static io.paperwire.notify.Subscribers.subscribeAndConfirm;
import static io.paperwire.notify.Subscribers.word;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.paperwire.events.PaperConsolidated;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every filter a subscriber can set decides what the digest holds, not only what is saved: excluded keywords,
 * authors, categories, a minimum score and a maximum number of papers, each alone on top of the same keyword; and a
 * subscriber who never confirmed gets nothing.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class DigestFiltersTest {

    @Test
    void eachFilterDecidesWhatTheDigestHolds() throws Exception {
        String w = word();
        PaperConsolidated ada = paper("Alpha Study of " + w, "On engines.", List.of("Ada Lovelace"), List.of("cs.LG"), 9);
        PaperConsolidated diffusion = paper("Beta " + w + " Diffusion Models", "Noise.", List.of("Grace Hopper"), List.of("cs.LG"), 8);
        PaperConsolidated turing = paper("Gamma " + w + " Machines", "Computable numbers.", List.of("Alan Turing"), List.of("cs.CL"), 1);
        papers(ada, diffusion, turing);

        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("all", "");
        filters.put("exclude", ",\"excludeKeywords\":[\"diffusion\"]");
        filters.put("author", ",\"authors\":[\"lovelace\"]");
        filters.put("category", ",\"categories\":[\"cs.CL\"]");
        filters.put("score", ",\"minScore\":5");
        filters.put("one", ",\"maxPapers\":1");
        Map<String, String> addresses = new LinkedHashMap<>();
        for (var f : filters.entrySet()) {
            String a = address(w + "-" + f.getKey());
            addresses.put(f.getKey(), a);
            subscribeAndConfirm(a, "{\"email\":\"" + a + "\",\"keywords\":[\"" + w + "\"]" + f.getValue() + "}");
        }
        String pending = address(w + "-pending");
        subscribe("{\"email\":\"" + pending + "\",\"keywords\":[\"" + w + "\"]}", "client-" + pending);
        awaitMail(pending, "Confirm");

        runDigests();

        Map<String, String> expected = Map.of(
                "all", "ADT", "exclude", "AT", "author", "A", "category", "T", "score", "AD", "one", "A");
        for (var e : addresses.entrySet()) {
            // The text twin marks matched words with stars; the titles are read without them.
            String text = awaitMail(e.getValue(), "Paperwire digest").path("text").asText().replace("*", "");
            String held = Stream.of(ada, diffusion, turing).filter(p -> text.contains(p.title()))
                    .map(p -> p == ada ? "A" : p == diffusion ? "D" : "T").collect(Collectors.joining());
            assertThat(held).as("papers in the digest of the '%s' subscriber", e.getKey()).isEqualTo(expected.get(e.getKey()));
        }
        assertThat(mails(pending, "Paperwire")).as("an unconfirmed subscriber gets no digest").isEmpty();
    }

    /**
     * Keywords match words, stemmed, not substrings: "RL" matches "RL" and "reinforcement learning (RL)", never "world"
     * or "URL"; a quoted phrase matches the phrase; words of one keyword must all be there.
     */
    @Test
    void keywordsMatchWordsNotSubstrings() throws Exception {
        String w = word();
        PaperConsolidated offline = paper("Offline RL for Robots " + w, "Policies from logs.", List.of("A. B"), 5);
        PaperConsolidated spelled = paper("Scaling " + w, "We study reinforcement learning (RL) at scale.", List.of("C. D"), 4);
        PaperConsolidated world = paper("World Models " + w, "A URL to the code.", List.of("E. F"), 3);
        PaperConsolidated phrase = paper("Diffusion Models Learn " + w, "Generative modelling.", List.of("G. H"), 2);
        papers(offline, spelled, world, phrase);
        Map<String, String> keywords = new LinkedHashMap<>();
        keywords.put("rl", "RL " + w);
        keywords.put("phrase", "\\\"diffusion model\\\" " + w);
        keywords.put("stem", "robot " + w);
        Map<String, String> expected = Map.of("rl", "OS", "phrase", "P", "stem", "O");
        for (var k : keywords.entrySet()) {
            String a = address(w + "-" + k.getKey());
            subscribeAndConfirm(a, "{\"email\":\"" + a + "\",\"keywords\":[\"" + k.getValue() + "\"]}");
        }
        runDigests();
        for (var k : keywords.entrySet()) {
            String text = awaitMail(address(w + "-" + k.getKey()), "Paperwire digest").path("text").asText().replace("*", "");
            String held = Stream.of(offline, spelled, world, phrase).filter(p -> text.contains(p.title()))
                    .map(p -> p == offline ? "O" : p == spelled ? "S" : p == world ? "W" : "P").collect(Collectors.joining());
            assertThat(held).as("papers for the keyword '%s'", k.getValue()).isEqualTo(expected.get(k.getKey()));
        }
    }

    /** Before subscribing: what the filters' digest would have held over the last period, and nothing stored. */
    @Test
    void aPreviewShowsWhatTheDigestWouldHaveHeld() throws Exception {
        String w = word();
        PaperConsolidated top = paper("Sparse Attention " + w, "Fast.", List.of("Ada Lovelace"), 9);
        PaperConsolidated second = paper("Dense Retrieval " + w, "Recall.", List.of("Alan Turing"), 5);
        PaperConsolidated excluded = paper("A Survey of " + w, "Everything.", List.of("Grace Hopper"), 7);
        papers(top, second, excluded);
        long subscriptionsBefore = QuarkusTransaction.requiringNew().call(() -> Subscribers.subscriptions().count());

        List<String> titles = given().contentType("application/json").header("X-Test-Client", "preview-" + w)
                .body("{\"keywords\":[\"" + w + "\"],\"excludeKeywords\":[\"survey\"]}")
                .post("/api/v1/subscriptions/preview").then().statusCode(200)
                .body("frequency", equalTo("daily")).extract().jsonPath().getList("papers.title");
        assertThat(titles).containsExactly(top.title(), second.title());
        List<String> one = given().contentType("application/json").header("X-Test-Client", "preview-" + w)
                .body("{\"keywords\":[\"" + w + "\"],\"maxPapers\":1,\"frequency\":\"weekly\"}")
                .post("/api/v1/subscriptions/preview").then().statusCode(200)
                .body("frequency", equalTo("weekly")).extract().jsonPath().getList("papers.title");
        assertThat(one).containsExactly(top.title());
        given().contentType("application/json").header("X-Test-Client", "preview-" + w).body("{\"frequency\":\"hourly\"}")
                .post("/api/v1/subscriptions/preview").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("frequency"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> Subscribers.subscriptions().count()))
                .as("a preview subscribes nobody").isEqualTo(subscriptionsBefore);
    }
}
