package io.paperwire.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.paperwire.notify.Subscribers.address;
import static io.paperwire.notify.Subscribers.awaitMail;
import static io.paperwire.notify.Subscribers.paper;
import static io.paperwire.notify.Subscribers.papers;
import static io.paperwire.notify.Subscribers.runDigests;
import static io.paperwire.notify.Subscribers.subscribeAndConfirm;
import static io.paperwire.notify.Subscribers.word;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.paperwire.notify.webhook.WebhookClient;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Receivers that attack the one who calls them (the test profile's webhook deadline is 3 s): each subscribe call answers
 * a 422 problem within the deadline, notify stays live, and a digest run with a stalling receiver among its subscribers
 * still delivers everyone else's digest and returns.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class HostileWebhooksTest {

    /** The test profile's paperwire.notify.webhook.timeout, plus room for a busy machine. */
    static final Duration BOUND = Duration.ofSeconds(3 + 7);

    static WireMockServer sites;

    @BeforeAll
    static void start() {
        sites = new WireMockServer(options().dynamicPort().globalTemplating(true));
        sites.start();
    }

    @AfterAll
    static void stop() {
        sites.stop();
    }

    static ExtractableResponse<Response> subscribe(String url) {
        return given().contentType("application/json").header("X-Test-Client", "hostile-" + word())
                .body("{\"webhookUrl\":\"" + url + "\"}").post("/api/v1/subscriptions").then().extract();
    }

    /** Subscribes {@code url}, expecting a 422 problem within the bound whose detail says {@code why}. */
    static void refusedInTime(String url, String why) {
        Instant start = Instant.now();
        ExtractableResponse<Response> r = subscribe(url);
        assertThat(Duration.between(start, Instant.now())).isLessThan(BOUND);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).contains(why);
        assertThat(r.body().asString()).doesNotContain("whsec_");
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void anEndlessAnswerIsReadOnlyAFewKilobytesAndTheConnectionIsClosed() throws Exception {
        try (HostileReceiver receiver = new HostileReceiver(HostileReceiver.Mode.ENDLESS_BODY)) {
            refusedInTime(receiver.url("/endless"), "did not contain the challenge");
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.cutOff() >= 1);
        }
    }

    @Test
    void headersAndThenSilenceEndAtTheDeadline() throws Exception {
        try (HostileReceiver receiver = new HostileReceiver(HostileReceiver.Mode.HEADERS_THEN_SILENCE)) {
            refusedInTime(receiver.url("/silence"), "no complete answer");
        }
    }

    @Test
    void endlessHeadersEndAtTheClientsLimitOrTheDeadline() throws Exception {
        try (HostileReceiver receiver = new HostileReceiver(HostileReceiver.Mode.ENDLESS_HEADERS)) {
            refusedInTime(receiver.url("/headers"), "could not be reached");
        }
    }

    @Test
    void aSlowDripEndsAtTheDeadline() {
        sites.stubFor(post(urlEqualTo("/drip")).willReturn(aResponse().withStatus(200).withBody("x".repeat(2000))
                .withChunkedDribbleDelay(100, 60_000)));
        refusedInTime("http://127.0.0.1:" + sites.port() + "/drip", "no complete answer");
    }

    @Test
    void aRedirectToLoopbackIsNotFollowed() {
        sites.stubFor(post(urlEqualTo("/inside")).willReturn(aResponse().withStatus(200).withBody("inside")));
        sites.stubFor(post(urlEqualTo("/redirect")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "http://127.0.0.1:" + sites.port() + "/inside")));
        refusedInTime("http://127.0.0.1:" + sites.port() + "/redirect", "HTTP 307");
        sites.verify(0, postRequestedFor(urlEqualTo("/inside")));
    }

    @Test
    void aDigestDeliveryDoesNotFollowARedirectEither() throws Exception {
        String w = word();
        String hook = "/moved-" + w;
        String inside = "/inside-" + w;
        sites.stubFor(post(urlEqualTo(hook)).withHeader(WebhookClient.EVENT_HEADER, equalTo("verification"))
                .willReturn(aResponse().withStatus(200).withBody("{\"challenge\":\"{{jsonPath request.body '$.challenge'}}\"}")));
        sites.stubFor(post(urlEqualTo(hook)).withHeader(WebhookClient.EVENT_HEADER, equalTo("digest")).willReturn(aResponse()
                .withStatus(307).withHeader("Location", "http://127.0.0.1:" + sites.port() + inside)));
        sites.stubFor(post(urlEqualTo(inside)).willReturn(aResponse().withStatus(200).withBody("ok")));
        papers(paper("Redirected Digests " + w, null, List.of(), 3));
        String manage = given().contentType("application/json").header("X-Test-Client", "hostile-" + w)
                .body("{\"webhookUrl\":\"http://127.0.0.1:" + sites.port() + hook + "\",\"keywords\":[\"" + w + "\"]}")
                .post("/api/v1/subscriptions").then().statusCode(201).extract().path("manageUrl");
        try {
            runDigests();
            sites.verify(moreThanOrExactly(1), postRequestedFor(urlEqualTo(hook)).withHeader(WebhookClient.EVENT_HEADER, equalTo("digest")));
            sites.verify(0, postRequestedFor(urlEqualTo(inside)));
        } finally {
            // Its digest would be retried in every later run, holding one of this host's delivery slots each time.
            given().delete(URI.create(manage).getRawPath() + "?" + URI.create(manage).getRawQuery()).then().statusCode(204);
        }
    }

    @Test
    void oneHostGetsAtMostTwoDeliveriesAtOnceAndTheOthersWait() throws Exception {
        String w = word();
        papers(paper("Busy Hosts Wait Their Turn " + w, "About " + w, List.of("Grace Hopper"), 6));
        try (HostileReceiver receiver = new HostileReceiver(HostileReceiver.Mode.CHALLENGE_THEN_SLOW)) {
            for (int i = 0; i < 4; i++) {
                given().contentType("application/json").header("X-Test-Client", "busy-" + w + i)
                        .body("{\"webhookUrl\":\"" + receiver.url("/busy/" + i) + "\",\"keywords\":[\"" + w + "\"]}")
                        .post("/api/v1/subscriptions").then().statusCode(201);
            }
            int challenges = receiver.connections();
            runDigests();
            // Four digests for one slow host: two at a time held its slots, the others went back untried until a slot
            // was free, whatever the pass's parallelism of 8; all four arrived in the end.
            assertThat(receiver.connections() - challenges).isEqualTo(4);
            assertThat(receiver.mostStalledAtOnce()).isBetween(1, 2);
        }
        assertThat(given().get("/q/metrics").then().extract().asString()).containsPattern("paperwire_notify_webhooks_deferred_total [1-9]");
    }

    @Test
    void aReceiverThatStallsOnDigestsDelaysNobodyElse() throws Exception {
        String w = word();
        papers(paper("Stalled Receivers Harm Nobody " + w, "About " + w, List.of("Frances Allen"), 6));
        try (HostileReceiver receiver = new HostileReceiver(HostileReceiver.Mode.CHALLENGE_THEN_SILENCE)) {
            given().contentType("application/json").header("X-Test-Client", "stall-" + w)
                    .body("{\"webhookUrl\":\"" + receiver.url("/stall") + "\",\"keywords\":[\"" + w + "\"]}")
                    .post("/api/v1/subscriptions").then().statusCode(201);
            String email = address(w);
            subscribeAndConfirm(email, "{\"email\":\"" + email + "\",\"keywords\":[\"" + w + "\"]}");

            Instant start = Instant.now();
            runDigests();
            assertThat(Duration.between(start, Instant.now())).as("the run waits at most one webhook deadline").isLessThan(BOUND);
            assertThat(awaitMail(email, "Paperwire digest").path("text").asText()).contains("Stalled Receivers Harm Nobody *" + w + "*");
            assertThat(receiver.connections()).as("the challenge and the stalled digest").isGreaterThanOrEqualTo(2);
        }
        given().get("/q/health/live").then().statusCode(200).body(containsString("UP"));
    }
}
