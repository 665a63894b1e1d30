package io.paperwire.ingest.resolver;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.ingest.poller.InjectWireMock;
import io.paperwire.ingest.poller.SourceSitesResource;
import io.paperwire.ingest.repository.TitleResolutions;
import io.paperwire.testing.Harness;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestClock;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A paper listed by title alone gets its arXiv id from arXiv's API (WireMock standing in for it): only an answer with
 * the same title fingerprint is taken, it is published as a sighting of the resolver's own source, the answer is kept
 * so the title is not asked about again, and a title arXiv does not know, or an arXiv that is down, leaves the title
 * for later.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SourceSitesResource.class, scope = TestResourceScope.GLOBAL)
class TitleResolverTest {

    @InjectWireMock
    WireMockServer arxiv;
    @Inject
    TitleResolver resolver;
    @Inject
    TitleResolutions resolutions;
    @Inject
    TestClock clock;

    @Test
    void aTitleOnlyPaperIsResolvedByAMatchingTitleOnceAndForAll() throws Exception {
        String word = word();
        String title = "Sparse Mixtures of " + word + " Experts";
        arxivAnswers(word, atom("2501.54321v2", "SPARSE  mixtures of " + word + " experts.", "Ada Lovelace"));
        post(title);
        String fingerprint = TitleFingerprint.of(title);
        assertThat(resolutions.find(fingerprint)).get().extracting(TitleResolutions.Resolution::state).isEqualTo("pending");

        workQueueUntilDone(fingerprint);
        assertThat(resolutions.find(fingerprint).orElseThrow().arxivId()).isEqualTo("2501.54321");
        List<PaperSighted> fromResolver = resolverSightings(fingerprint);
        assertThat(fromResolver).hasSize(1);
        PaperSighted s = fromResolver.get(0);
        assertThat(s.arxivId()).isEqualTo("2501.54321");
        assertThat(s.titleFingerprint()).as("the same paper's key").isEqualTo(fingerprint);
        assertThat(s.authors()).containsExactly("Ada Lovelace");
        assertThat(s.sourceKind()).isEqualTo(PaperSighted.SourceKind.ARXIV_API);

        // The answer is kept: the same title in another listing is not asked about again.
        post(title + "\n\nSeen again.\n\nAnother " + word() + " Paper");
        workQueue();
        arxiv.verify(1, getRequestedFor(urlPathEqualTo("/arxiv/api/query")).withQueryParam("search_query", containing(word)));
        assertThat(resolverSightings(fingerprint)).hasSize(1);
    }

    @Test
    void aSearchHitWithAnotherTitleIsNotTakenAndTheTitleIsAskedAgainLater() throws Exception {
        String word = word();
        String title = "Graph " + word + " Networks";
        arxivAnswers(word, atom("2501.11111v1", "Graph " + word + " Networks Are Not What You Think", "Alan Turing"));
        post(title);
        String fingerprint = TitleFingerprint.of(title);
        workQueueUntilDone(fingerprint);
        TitleResolutions.Resolution r = resolutions.find(fingerprint).orElseThrow();
        assertThat(r.state()).isEqualTo("unmatched");
        assertThat(r.arxivId()).isNull();
        assertThat(r.nextAttemptAt()).isAfter(clock.instant().plus(Duration.ofDays(6)));
        assertThat(resolverSightings(fingerprint)).isEmpty();
    }

    @Test
    void anArxivThatIsDownLeavesTheTitleForLaterWithTheReason() throws Exception {
        String word = word();
        String title = "Robust " + word + " Retrieval";
        arxiv.stubFor(get(urlPathEqualTo("/arxiv/api/query")).withQueryParam("search_query", containing(word))
                .willReturn(aResponse().withStatus(503)));
        post(title);
        String fingerprint = TitleFingerprint.of(title);
        workQueueUntilDone(fingerprint);
        TitleResolutions.Resolution r = resolutions.find(fingerprint).orElseThrow();
        assertThat(r.state()).as("nothing counted against the title").isEqualTo("pending");
        assertThat(r.attempts()).isZero();
        assertThat(r.failures()).isEqualTo(1);
        assertThat(r.lastError()).contains("HTTP 503");
        assertThat(r.nextAttemptAt()).isAfter(clock.instant().plus(Duration.ofMinutes(9)));
        assertThat(resolverSightings(fingerprint)).isEmpty();
    }

    @Test
    void aTitleSeveralArxivPapersShareIsLeftUnresolved() throws Exception {
        String word = word();
        String title = "Attention Is All " + word + " Needs";
        String two = atom("2501.22222v1", title, "Ada Lovelace").replace("</feed>", """
                  <entry>
                    <id>http://arxiv.org/abs/2502.33333v1</id>
                    <updated>2026-11-30T10:00:00Z</updated><published>2026-11-30T10:00:00Z</published>
                    <title>%s</title><summary>Another paper, the same title.</summary><author><name>Alan Turing</name></author>
                  </entry>
                </feed>""".formatted(title));
        arxivAnswers(word, two);
        post(title);
        String fingerprint = TitleFingerprint.of(title);
        workQueueUntilDone(fingerprint);
        TitleResolutions.Resolution r = resolutions.find(fingerprint).orElseThrow();
        assertThat(r.state()).isEqualTo("ambiguous");
        assertThat(r.lastError()).isEqualTo("2 arXiv papers have this title");
        assertThat(resolverSightings(fingerprint)).as("no id taken: either could merge unrelated papers").isEmpty();
    }

    @Test
    void anAnswerUnderALapsedClaimChangesNothing() throws Exception {
        String title = "Lapsed Claims of " + word();
        post(title);
        String fingerprint = TitleFingerprint.of(title);
        TitleResolutions.Resolution claimed = null;
        for (int i = 0; i < 100 && claimed == null; i++) {
            TitleResolutions.Resolution c = resolutions.claimDue(clock.instant(), clock.instant().plus(Duration.ofMinutes(1))).orElseThrow();
            claimed = c.fingerprint().equals(fingerprint) ? c : null;
        }
        assertThat(claimed).as("the title claimed").isNotNull();
        // Another replica claims it once the hold lapsed, and settles it first; the first one's late answer writes nothing.
        TitleResolutions.Resolution again = resolutions.claimDue(claimed.nextAttemptAt().plusSeconds(1),
                claimed.nextAttemptAt().plus(Duration.ofMinutes(2))).orElseThrow();
        TitleResolutions.Resolution other = again.fingerprint().equals(fingerprint) ? again : claimed;
        assertThat(resolutions.resolved(other, "2501.99999", clock.instant())).isTrue();
        assertThat(resolutions.unmatched(claimed, false, clock.instant().plus(Duration.ofDays(7)), clock.instant())).isFalse();
        TitleResolutions.Resolution now = resolutions.find(fingerprint).orElseThrow();
        assertThat(now.state()).isEqualTo("resolved");
        assertThat(now.arxivId()).isEqualTo("2501.99999");
    }

    /** arXiv answers this Atom to every search holding the word. */
    private void arxivAnswers(String word, String atom) {
        arxiv.stubFor(get(urlPathEqualTo("/arxiv/api/query")).withQueryParam("search_query", containing(word))
                .willReturn(aResponse().withHeader("Content-Type", "application/atom+xml").withBody(atom)));
    }

    /** Works the queue until this title was asked about (other tests' titles are asked about too, and fail or not). */
    private void workQueueUntilDone(String fingerprint) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            TitleResolutions.Resolution r = resolutions.find(fingerprint).orElseThrow();
            if (!r.state().equals("pending") || r.lastError() != null) {
                return;
            }
            if (resolver.resolveNext() == TitleResolver.Outcome.NOTHING_DUE) {
                break;
            }
        }
        throw new AssertionError("the title was never asked about: " + resolutions.find(fingerprint));
    }

    private void workQueue() throws InterruptedException {
        for (int i = 0; i < 100 && resolver.resolveNext() != TitleResolver.Outcome.NOTHING_DUE; i++) {
            // each turn asks about one title
        }
    }

    private static List<PaperSighted> resolverSightings(String fingerprint) throws Exception {
        List<PaperSighted> out = new ArrayList<>();
        for (var r : TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName())) {
            PaperSighted s = PaperEventsJson.mapper().readValue(r.value(), PaperSighted.class);
            if (s.source().equals("arxiv-resolver") && s.titleFingerprint().equals(fingerprint)) {
                out.add(s);
            }
        }
        return out;
    }

    private static void post(String text) {
        given().header("Authorization", "Bearer " + Harness.API_TOKEN).contentType("text/plain").body(text + "\n\nAn abstract.\n")
                .post("/api/v1/listings?source=resolver-test").then().statusCode(202);
    }

    private static String word() {
        return "Zq" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static String atom(String id, String title, String author) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom">
                  <id>http://arxiv.org/api/test</id><title>ArXiv Query</title><updated>2026-12-01T00:00:00Z</updated>
                  <entry>
                    <id>http://arxiv.org/abs/%s</id>
                    <updated>2026-11-30T10:00:00Z</updated><published>2026-11-30T10:00:00Z</published>
                    <title>%s</title>
                    <summary>What arXiv says of it.</summary>
                    <author><name>%s</name></author>
                    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
                  </entry>
                </feed>""".formatted(id, title, author);
    }
}
