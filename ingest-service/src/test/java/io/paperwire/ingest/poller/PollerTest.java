package io.paperwire.ingest.poller;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.ingest.repository.SourceStateRepository;
import io.paperwire.testing.Harness;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestClock;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Pollers against a real HTTP server serving every format, with ETag/304, 429, 503, slow answers and pagination. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SourceSitesResource.class, scope = TestResourceScope.GLOBAL)
class PollerTest {

    static final String TOKEN = Harness.API_TOKEN;

    @InjectWireMock
    WireMockServer sites;

    @Inject
    SourceStateRepository states;

    @Inject
    TestClock clock;

    static String fixture(String name) throws Exception {
        try (InputStream in = PollerTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JsonPath poll(String source) {
        return given().auth().oauth2(TOKEN).post("/api/v1/sources/" + source + "/poll")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void conditionalGetAnswers304AndNothingIsPublishedTwice() throws Exception {
        sites.stubFor(get(urlEqualTo("/hf/api/daily_papers")).atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("ETag", "\"v1\"")
                .withBody(fixture("hf-daily-papers.json"))));
        sites.stubFor(get(urlEqualTo("/hf/api/daily_papers")).atPriority(1)
                .withHeader("If-None-Match", equalTo("\"v1\"")).willReturn(aResponse().withStatus(304)));

        JsonPath first = poll("hf-etag");
        assertThat(first.getInt("sightingsPublished")).isEqualTo(2);
        assertThat(first.getInt("rejects")).isEqualTo(2);
        assertThat(first.getString("lastError")).isNull();
        assertThat(first.getString("lastSuccessAt")).isNotNull();

        JsonPath second = poll("hf-etag");
        assertThat(second.getInt("sightingsPublished")).isEqualTo(2);
        assertThat(second.getInt("consecutiveFailures")).isZero();
        // Judged on the topic, not by the service's own counter: the 304 published nothing.
        assertThat(TopicReader.fromIngestSource(TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()), "hf-etag")).isEqualTo(2);
        sites.verify(1, getRequestedFor(urlEqualTo("/hf/api/daily_papers")).withHeader("If-None-Match", equalTo("\"v1\"")));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains(
                "paperwire_ingest_sightings_published_total{source=\"hf-etag\"} 2.0",
                "paperwire_ingest_rejects_total{source=\"hf-etag\"} 2.0",
                "paperwire_ingest_poll_seconds_count{source=\"hf-etag\"} 2",
                "paperwire_ingest_source_freshness_seconds{source=\"hf-etag\"}");
    }

    @Test
    void arxivApiPagesAreAllFetchedAndTheCursorClears() throws Exception {
        sites.stubFor(get(urlPathEqualTo("/api/query")).withQueryParam("start", equalTo("0"))
                .willReturn(aResponse().withHeader("Content-Type", "application/atom+xml").withBody(apiPage(3, 0, 2,
                        "2501.00001", "2501.00002"))));
        sites.stubFor(get(urlPathEqualTo("/api/query")).withQueryParam("start", equalTo("2"))
                .willReturn(aResponse().withHeader("Content-Type", "application/atom+xml").withBody(apiPage(3, 2, 2,
                        "2501.00003"))));

        JsonPath status = poll("api-pages");
        assertThat(status.getInt("sightingsPublished")).isEqualTo(3);
        assertThat(status.getString("cursor")).isNull();
        List<LoggedRequest> requests = sites.findAll(getRequestedFor(urlPathEqualTo("/api/query")));
        assertThat(requests).extracting(r -> r.queryParameter("start").firstValue()).containsExactly("0", "2");
        assertThat(requests).allSatisfy(r -> assertThat(r.queryParameter("max_results").firstValue()).isEqualTo("2"));
    }

    @Test
    void anUnchangedFirstPageStillLeadsToTheLaterPagesThatChanged() throws Exception {
        // No ETag or Last-Modified: page one comes back identical (a duplicate document), page two has changed.
        sites.stubFor(get(urlPathEqualTo("/api2/query")).withQueryParam("start", equalTo("0"))
                .willReturn(aResponse().withHeader("Content-Type", "application/atom+xml").withBody(apiPage(3, 0, 2,
                        "2502.00001", "2502.00002"))));
        sites.stubFor(get(urlPathEqualTo("/api2/query")).withQueryParam("start", equalTo("2"))
                .willReturn(aResponse().withHeader("Content-Type", "application/atom+xml").withBody(apiPage(3, 2, 2,
                        "2502.00003"))));
        assertThat(poll("api-repoll").getInt("sightingsPublished")).isEqualTo(3);

        sites.stubFor(get(urlPathEqualTo("/api2/query")).withQueryParam("start", equalTo("2"))
                .willReturn(aResponse().withHeader("Content-Type", "application/atom+xml").withBody(apiPage(3, 2, 2,
                        "2502.00004"))));
        JsonPath second = poll("api-repoll");
        assertThat(second.getInt("sightingsPublished")).as("page two's new entry is reached").isEqualTo(4);
        assertThat(second.getInt("entriesSeen")).isEqualTo(3 + 3);
        sites.verify(2, getRequestedFor(urlPathEqualTo("/api2/query")).withQueryParam("start", equalTo("2")));
    }

    @Test
    void oaiHarvestResumesFromTheStoredTokenAfterAFailure() throws Exception {
        sites.stubFor(get(urlPathEqualTo("/oai2")).withQueryParam("metadataPrefix", equalTo("arXiv"))
                .willReturn(aResponse().withHeader("Content-Type", "text/xml").withBody(fixture("oai-listrecords.xml"))));
        sites.stubFor(get(urlPathEqualTo("/oai2")).withQueryParam("resumptionToken", equalTo("6960524|1001"))
                .willReturn(aResponse().withStatus(500)));

        JsonPath failed = poll("oai-resume");
        assertThat(failed.getInt("sightingsPublished")).isEqualTo(2);
        assertThat(failed.getString("lastError")).contains("HTTP 500", "after 3 attempts");
        assertThat(failed.getString("cursor")).isEqualTo("resumptionToken=6960524|1001");

        // The source recovers; the next poll (in this process or after a restart: the cursor is in the database)
        // continues at the stored token and does not fetch page one again.
        sites.stubFor(get(urlPathEqualTo("/oai2")).withQueryParam("resumptionToken", equalTo("6960524|1001"))
                .willReturn(aResponse().withHeader("Content-Type", "text/xml").withBody(oaiLastPage())));
        JsonPath resumed = poll("oai-resume");
        assertThat(resumed.getString("lastError")).isNull();
        assertThat(resumed.getString("cursor")).isNull();
        assertThat(resumed.getInt("sightingsPublished")).isEqualTo(3);
        sites.verify(1, getRequestedFor(urlPathEqualTo("/oai2")).withQueryParam("metadataPrefix", equalTo("arXiv")));
        // The harvest's first page announced 3,500 records (completeListSize); it ended, across the two polls, having walked
        // only what these pages hold: completeness at the harvest stage says how many never came.
        assertThat(failed.getString("lastHarvest")).as("not ended yet").isNull();
        // What the two pages hold, counted from the documents themselves: the failed poll's page is counted once.
        int records = (fixture("oai-listrecords.xml").split("<record>", -1).length - 1) + (oaiLastPage().split("<record>", -1).length - 1);
        assertThat(resumed.getInt("lastHarvest.announced")).isEqualTo(3500);
        assertThat(resumed.getInt("lastHarvest.delivered")).isEqualTo(records);
        assertThat(resumed.getInt("lastHarvest.missing")).isEqualTo(3500 - records);
        // The gauge the alert watches is made from the database by the completeness report, the same on every replica.
        given().get("/api/v1/sources/completeness?refresh=true").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("paperwire_ingest_source_shortfall{source=\"oai-resume\",stage=\"harvest\"} " + (3500 - records) + ".0"));
        assertThat(sites.findAll(getRequestedFor(urlPathEqualTo("/oai2")).withQueryParam("resumptionToken", equalTo("6960524|1001"))))
                .allSatisfy(r -> assertThat(r.queryParameter("metadataPrefix").isPresent()).as("token is exclusive").isFalse());
    }

    @Test
    void serviceUnavailableIsRetriedWithBackoff() throws Exception {
        sites.stubFor(get(urlEqualTo("/rss/cs.LG")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        sites.stubFor(get(urlEqualTo("/rss/cs.LG")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        sites.stubFor(get(urlEqualTo("/rss/cs.LG")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withHeader("Content-Type", "application/rss+xml").withBody(fixture("arxiv.rss.xml"))));

        JsonPath status = poll("rss-flaky");
        assertThat(status.getString("lastError")).isNull();
        assertThat(status.getInt("sightingsPublished")).isEqualTo(2);
        sites.verify(3, getRequestedFor(urlEqualTo("/rss/cs.LG")));
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        sites.stubFor(get(urlEqualTo("/atom/throttled")).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        sites.stubFor(get(urlEqualTo("/atom/throttled")).inScenario("throttled").whenScenarioStateIs("ok")
                .willReturn(aResponse().withHeader("Content-Type", "application/atom+xml").withBody(fixture("arxiv-feed.atom.xml"))));

        JsonPath status = poll("atom-throttled");
        assertThat(status.getString("lastError")).isNull();
        List<LoggedRequest> requests = sites.findAll(getRequestedFor(urlEqualTo("/atom/throttled")));
        assertThat(requests).hasSize(2);
        Duration gap = Duration.between(requests.get(0).getLoggedDate().toInstant(), requests.get(1).getLoggedDate().toInstant());
        assertThat(gap).as("Retry-After: 1 honoured").isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void slowAnswersTimeOutAndTheFailureIsReported() throws Exception {
        sites.stubFor(get(urlEqualTo("/atom/slow")).willReturn(aResponse().withFixedDelay(2500)
                .withHeader("Content-Type", "application/atom+xml").withBody(fixture("arxiv-feed.atom.xml"))));
        JsonPath status = poll("atom-slow");
        assertThat(status.getString("lastError")).contains("within 1 s", "after 3 attempts");
        assertThat(status.getInt("consecutiveFailures")).isEqualTo(1);
        assertThat(status.getString("lastSuccessAt")).isNull();
        assertThat(status.getInt("sightingsPublished")).isZero();
    }

    @Test
    void aSourceThatAnswersMoreThanTheLimitFailsWithoutBeingRead() throws Exception {
        // The test profile's limit is 1 MB; the answer is endless as far as the poller may care.
        sites.stubFor(get(urlEqualTo("/hostile/huge")).willReturn(aResponse()
                .withHeader("Content-Type", "application/atom+xml").withBody(new byte[3 * 1024 * 1024])));
        JsonPath status = poll("huge");
        assertThat(status.getString("lastError")).contains("more than 1048576 bytes", "not retried");
        assertThat(status.getInt("sightingsPublished")).isZero();
        sites.verify(1, getRequestedFor(urlEqualTo("/hostile/huge")));
    }

    @Test
    void aSourceThatSendsHeadersAndThenDripsIsCutOffAtTheDeadline() throws Exception {
        // Headers at once, then the body a chunk at a time over 6 s: the JDK's request timeout alone would wait it out.
        sites.stubFor(get(urlEqualTo("/hostile/drip")).willReturn(aResponse()
                .withHeader("Content-Type", "application/atom+xml").withBody(fixture("arxiv-feed.atom.xml"))
                .withChunkedDribbleDelay(30, 6000)));
        Instant start = Instant.now();
        JsonPath status = poll("drip");
        assertThat(status.getString("lastError")).contains("within 1 s", "after 3 attempts");
        // Three attempts of 1 s each plus backoffs of at most 1 s: far less than three dribbles of 6 s.
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(12));
    }

    @Test
    void redirectsAreFollowedOnlyToTheSourcesOwnHostAndOnlyAFewTimes() throws Exception {
        String elsewhere = "http://localhost:" + sites.port() + "/atom/elsewhere";
        sites.stubFor(get(urlEqualTo("/hostile/away")).willReturn(aResponse().withStatus(302).withHeader("Location", elsewhere)));
        sites.stubFor(get(urlEqualTo("/hostile/home")).willReturn(aResponse().withStatus(301).withHeader("Location", "/hostile/feed")));
        sites.stubFor(get(urlEqualTo("/hostile/feed")).willReturn(aResponse()
                .withHeader("Content-Type", "application/atom+xml").withBody(fixture("arxiv-feed.atom.xml"))));
        sites.stubFor(get(urlEqualTo("/hostile/loop")).willReturn(aResponse().withStatus(307).withHeader("Location", "/hostile/loop")));

        JsonPath away = poll("redirect-away");
        assertThat(away.getString("lastError")).contains("redirects to localhost", "not followed");
        sites.verify(0, getRequestedFor(urlEqualTo("/atom/elsewhere")));

        JsonPath home = poll("redirect-home");
        assertThat(home.getString("lastError")).isNull();
        assertThat(home.getInt("sightingsPublished")).isPositive();

        JsonPath loop = poll("redirect-loop");
        assertThat(loop.getString("lastError")).contains("more than 3 redirects");
        sites.verify(4, getRequestedFor(urlEqualTo("/hostile/loop")));
    }

    @Test
    void anEmptyFeedIsNormalOnlyWhenArxivDoesNotAnnounce() throws Exception {
        sites.stubFor(get(urlEqualTo("/atom/empty")).willReturn(aResponse()
                .withHeader("Content-Type", "application/atom+xml").withBody(fixture("arxiv-feed-empty.atom.xml"))));
        try {
            // Wednesday noon in New York: arXiv announces that evening, so its feed should not be empty.
            clock.set(Instant.parse("2026-12-02T17:00:00Z"));
            JsonPath wednesday = poll("atom-empty");
            assertThat(wednesday.getString("lastError")).isNull();
            assertThat(wednesday.getInt("entriesSeen")).isZero();
            assertThat(wednesday.getString("warning")).contains("announcement day");
            // Saturday: no announcement, an empty feed is normal.
            clock.set(Instant.parse("2026-12-05T17:00:00Z"));
            JsonPath saturday = poll("atom-empty");
            assertThat(saturday.getString("lastError")).isNull();
            assertThat(saturday.getString("warning")).isNull();
        } finally {
            clock.reset();
        }
    }

    @Test
    void aSourceHeldByAnotherReplicaIsNotPolled() throws Exception {
        sites.stubFor(get(urlEqualTo("/rss/leased")).willReturn(aResponse()
                .withHeader("Content-Type", "application/rss+xml").withBody(fixture("arxiv.rss.xml"))));
        Instant now = Instant.now();
        assertThat(states.tryLease("leased", "another-replica", now, now.plusSeconds(600))).isTrue();
        assertThat(states.tryLease("leased", "a-third-replica", now, now.plusSeconds(600))).isFalse();

        JsonPath skipped = poll("leased");
        assertThat(skipped.getString("polledBy")).isEqualTo("another-replica");
        sites.verify(0, getRequestedFor(urlEqualTo("/rss/leased")));

        states.release("leased", "another-replica");
        JsonPath polled = poll("leased");
        assertThat(polled.getInt("sightingsPublished")).isEqualTo(2);
        assertThat(polled.getString("polledBy")).isNull();
        sites.verify(1, getRequestedFor(urlEqualTo("/rss/leased")));
        // An expired claim does not block anybody.
        assertThat(states.tryLease("leased", "crashed", now.minusSeconds(1200), now.minusSeconds(600))).isTrue();
        assertThat(states.tryLease("leased", "alive", now, now.plusSeconds(600))).isTrue();
        states.release("leased", "alive");
    }

    @Test
    void aListingPageIsPolledAsText() throws Exception {
        String page = new String(Files.readAllBytes(Path.of("..", "samples", "001_0434b3d32f4aa226.txt")),
                StandardCharsets.UTF_8);
        sites.stubFor(get(urlEqualTo("/papers/listing.txt")).willReturn(aResponse()
                .withHeader("Content-Type", "text/plain; charset=utf-8").withHeader("Last-Modified", "Wed, 11 Mar 2026 08:00:00 GMT")
                .withBody(page)));
        JsonPath first = poll("text-page");
        assertThat(first.getInt("sightingsPublished")).isEqualTo(40);
        // No ETag, but Last-Modified: the next poll asks If-Modified-Since; the server ignores it and sends the same
        // page, which is recognised as the same document and publishes nothing.
        JsonPath second = poll("text-page");
        assertThat(second.getInt("sightingsPublished")).isEqualTo(40);
        assertThat(TopicReader.fromIngestSource(TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()), "text-page"))
                .as("the same page again published nothing").isEqualTo(40);
        sites.verify(1, getRequestedFor(urlEqualTo("/papers/listing.txt"))
                .withHeader("If-Modified-Since", equalTo("Wed, 11 Mar 2026 08:00:00 GMT")));
    }

    @Test
    void sourcesApiShowsEverySourceAndExplainsMistakes() {
        given().get("/api/v1/sources").then().statusCode(200)
                .body("name", hasItems("hf-etag", "api-pages", "oai-resume", "rss-flaky", "atom-slow"))
                .body("find { it.name == 'oai-resume' }.kind", Matchers.equalTo("arxiv-oai"));
        given().get("/api/v1/sources/nope").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TOKEN).post("/api/v1/sources/nope/poll").then().statusCode(404);
        given().post("/api/v1/sources/hf-etag/poll").then().statusCode(401);
    }

    static String apiPage(int total, int start, int perPage, String... ids) {
        StringBuilder sb = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
                """);
        sb.append("<opensearch:totalResults>").append(total).append("</opensearch:totalResults>");
        sb.append("<opensearch:startIndex>").append(start).append("</opensearch:startIndex>");
        sb.append("<opensearch:itemsPerPage>").append(perPage).append("</opensearch:itemsPerPage>");
        for (String id : ids) {
            sb.append("<entry><id>http://arxiv.org/abs/").append(id).append("v1</id><title>Paged Paper ").append(id)
                    .append("</title><summary>s</summary><author><name>A</name></author></entry>");
        }
        return sb.append("</feed>").toString();
    }

    static String oaiLastPage() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
                <record><header><identifier>oai:arXiv.org:0704.0003</identifier></header>
                <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>0704.0003</id><title>Third Record</title>
                <authors><author><keyname>Pan</keyname><forenames>Hongjun</forenames></author></authors>
                <categories>physics.gen-ph</categories><abstract>Last page.</abstract></arXiv></metadata></record>
                <resumptionToken cursor="1001" completeListSize="3500"/>
                </ListRecords></OAI-PMH>
                """;
    }
}
