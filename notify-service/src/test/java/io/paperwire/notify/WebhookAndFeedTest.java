package io.paperwire.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static io.paperwire.notify.Subscribers.address;
import static io.paperwire.notify.Subscribers.link;
import static io.paperwire.notify.Subscribers.paper;
import static io.paperwire.notify.Subscribers.papers;
import static io.paperwire.notify.Subscribers.runDigests;
import static io.paperwire.notify.Subscribers.subscribeAndConfirm;
import static io.paperwire.notify.Subscribers.word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.paperwire.notify.webhook.WebhookClient;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.StringReader;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Webhook subscribers (on a local WireMock, standing in for the subscriber's server): the challenge, a signed digest
 * delivery that verifies on the receiver while a tampered body does not, retries after 503s; and both feeds.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class WebhookAndFeedTest {

    static WireMockServer receiver;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startReceiver() {
        receiver = new WireMockServer(options().dynamicPort().globalTemplating(true));
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    /** A receiver's check, as the README shows it: recompute the v1 HMAC over "t.body" and compare; reject stale t. */
    static boolean verifies(String secret, String signatureHeader, String body) {
        String t = null;
        String v1 = null;
        for (String part : signatureHeader.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        if (t == null || v1 == null || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) > 300) {
            return false;
        }
        return MessageDigest.isEqual(WebhookClient.sign(secret, Long.parseLong(t), body).getBytes(), v1.getBytes());
    }

    @Test
    void aVerifiedWebhookGetsSignedDigestsRetriedAfterFailures() throws Exception {
        String w = word();
        String path = "/hooks/" + w;
        // The challenge is answered by echoing it; then two 503s, then success.
        receiver.stubFor(post(urlEqualTo(path)).withHeader(WebhookClient.EVENT_HEADER, equalTo("verification"))
                .willReturn(aResponse().withStatus(200).withBody("{\"challenge\":\"{{jsonPath request.body '$.challenge'}}\"}")));
        receiver.stubFor(post(urlEqualTo(path)).withHeader(WebhookClient.EVENT_HEADER, equalTo("digest")).inScenario(w)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503)).willSetStateTo("once"));
        receiver.stubFor(post(urlEqualTo(path)).withHeader(WebhookClient.EVENT_HEADER, equalTo("digest")).inScenario(w)
                .whenScenarioStateIs("once").willReturn(aResponse().withStatus(503)).willSetStateTo("twice"));
        receiver.stubFor(post(urlEqualTo(path)).withHeader(WebhookClient.EVENT_HEADER, equalTo("digest")).inScenario(w)
                .whenScenarioStateIs("twice").willReturn(aResponse().withStatus(204)));
        papers(paper("Webhooks Deliver " + w, "About " + w, List.of("Grace Hopper"), 7));

        JsonNode created = JSON.readTree(given().contentType("application/json").header("X-Test-Client", "hook-" + w)
                .body("{\"webhookUrl\":\"http://127.0.0.1:" + receiver.port() + path + "\",\"keywords\":[\"" + w + "\"]}")
                .post("/api/v1/subscriptions").then().statusCode(201).extract().asString());
        String secret = created.path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        receiver.verify(1, postRequestedFor(urlEqualTo(path)).withRequestBody(matchingJsonPath("$.type", equalTo("verification"))));

        // Each run sends what is due; the failed attempts come back after their (short, in tests) backoff.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            runDigests();
            return delivered(path);
        });
        List<LoggedRequest> deliveries = digestDeliveries(path);
        assertThat(deliveries).hasSize(3);
        LoggedRequest last = deliveries.get(deliveries.size() - 1);
        String body = last.getBodyAsString();
        String signature = last.getHeader(WebhookClient.SIGNATURE_HEADER);
        assertThat(verifies(secret, signature, body)).as("signature verifies").isTrue();
        assertThat(verifies(secret, signature, body.replace(w, w + "x"))).as("a tampered body fails").isFalse();
        assertThat(verifies("whsec_wrong", signature, body)).as("another secret fails").isFalse();
        JsonNode digest = JSON.readTree(body);
        assertThat(digest.path("type").asText()).isEqualTo("digest");
        assertThat(digest.path("papers").get(0).path("title").asText()).isEqualTo("Webhooks Deliver " + w);

        // Delivered once: further runs send nothing more to this hook.
        runDigests();
        assertThat(digestDeliveries(path)).hasSize(3);
    }

    private static boolean delivered(String path) {
        return receiver.getAllServeEvents().stream().anyMatch(e -> e.getRequest().getUrl().equals(path)
                && "digest".equals(e.getRequest().getHeader(WebhookClient.EVENT_HEADER)) && e.getResponse().getStatus() == 204);
    }

    private static List<LoggedRequest> digestDeliveries(String path) {
        List<LoggedRequest> all = new ArrayList<>(receiver.findAll(postRequestedFor(urlEqualTo(path))
                .withHeader(WebhookClient.EVENT_HEADER, equalTo("digest"))));
        all.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return all;
    }

    @Test
    void aWebhookThatDoesNotAnswerTheChallengeIsRefused() {
        String path = "/silent/" + word();
        receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withBody("ok")));
        given().contentType("application/json").header("X-Test-Client", "silent-" + path)
                .body("{\"webhookUrl\":\"http://127.0.0.1:" + receiver.port() + path + "\"}")
                .post("/api/v1/subscriptions").then().statusCode(422).contentType("application/problem+json");
    }

    @Test
    void bothFeedsAreValidAndEscapeUserText() throws Exception {
        String w = word();
        String email = address(w);
        // Control characters and a noncharacter XML cannot hold even escaped, as a paper from before ingest cleaned
        // text (or from another producer) may have them.
        papers(paper("Feeds & <Friends> " + w, "Abstract with <tags> & \u0001bell\u001F \uFFFF" + w, List.of("Barbara\u0002 Liskov"), 6));
        String confirmText = subscribeAndConfirm(email, "{\"email\":\"" + email + "\",\"keywords\":[\"" + w + "\"]}");
        String manage = link(given().post(link(confirmText, "/subscriptions/confirm")).then().extract().asString(), "/subscriptions/manage");
        String page = given().get(manage).then().statusCode(200).extract().asString();

        String atom = given().get(link(page, ".atom")).then().statusCode(200)
                .contentType(Matchers.startsWith("application/atom+xml")).extract().asString();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(atom)));
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("feed");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
        for (String required : List.of("id", "title", "updated")) {
            assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2005/Atom", required).getLength()).as(required).isPositive();
        }
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry").getLength()).isEqualTo(1);
        assertThat(doc.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry").item(0).getTextContent())
                .contains("Feeds & <Friends> " + w, "Abstract with <tags> & bell " + w, "Barbara Liskov");

        JsonNode feed = JSON.readTree(given().get(link(page, ".json")).then().statusCode(200)
                .contentType(Matchers.startsWith("application/feed+json")).extract().asString());
        assertThat(feed.path("version").asText()).isEqualTo("https://jsonfeed.org/version/1.1");
        assertThat(feed.path("title").asText()).isNotBlank();
        assertThat(feed.path("items")).hasSize(1);
        JsonNode item = feed.path("items").get(0);
        assertThat(item.path("id").asText()).isNotBlank();
        assertThat(item.path("title").asText()).isEqualTo("Feeds & <Friends> " + w);
        assertThat(item.has("content_text") || item.has("content_html")).isTrue();

        given().get("/feeds/not-a-token.atom").then().statusCode(404);
    }
}
