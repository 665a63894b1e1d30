package io.paperwire.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.paperwire.notify.Subscribers.paper;
import static io.paperwire.notify.Subscribers.papers;
import static io.paperwire.notify.Subscribers.runDigests;
import static io.paperwire.notify.Subscribers.word;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.paperwire.notify.webhook.WebhookClient;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.persistence.EntityManager;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A webhook belongs to whoever registered it: its secret is shown once, registering its URL again reveals and changes
 * nothing, and only its manage link rotates the secret, changes filters or deletes it. A webhook that keeps failing is
 * switched off, says so, and comes back when its owner resumes it.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class WebhookOwnershipTest {

    static WireMockServer receiver;

    @Inject
    EntityManager em;

    @BeforeAll
    static void start() {
        receiver = new WireMockServer(options().dynamicPort().globalTemplating(true));
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop();
    }

    static void echoChallenges(String path) {
        answer(path, "verification", aResponse().withStatus(200).withBody("{\"challenge\":\"{{jsonPath request.body '$.challenge'}}\"}"));
    }

    static void answer(String path, String event, ResponseDefinitionBuilder response) {
        receiver.stubFor(post(urlEqualTo(path)).withHeader(WebhookClient.EVENT_HEADER, WireMock.equalTo(event)).willReturn(response));
    }

    static List<LoggedRequest> digests(String path) {
        return receiver.findAll(postRequestedFor(urlEqualTo(path)).withHeader(WebhookClient.EVENT_HEADER, WireMock.equalTo("digest")));
    }

    static JsonPath register(String url, String keyword) {
        return given().contentType("application/json").header("X-Test-Client", "owner-" + word())
                .body("{\"webhookUrl\":\"" + url + "\",\"keywords\":[\"" + keyword + "\"]}")
                .post("/api/v1/subscriptions").then().extract().jsonPath();
    }

    static String manageQuery(String manageUrl) {
        return manageUrl.substring(manageUrl.indexOf("/api/v1/subscriptions/manage"));
    }

    @Test
    void registeringAUrlAgainRevealsAndChangesNothingAndOnlyTheManageLinkDoes() throws Exception {
        String w = word();
        String path = "/owned/" + w;
        echoChallenges(path);
        answer(path, "digest", aResponse().withStatus(204));
        String url = "http://127.0.0.1:" + receiver.port() + path;

        JsonPath owner = register(url, w);
        String secret = owner.getString("secret");
        String manage = manageQuery(owner.getString("manageUrl"));
        assertThat(secret).startsWith("whsec_");
        assertThat(owner.getString("managePage")).contains("/subscriptions/manage?token=");

        // A stranger registers the same URL with other filters: refused, no secret, the owner's filters kept.
        given().contentType("application/json").header("X-Test-Client", "stranger-" + w)
                .body("{\"webhookUrl\":\"" + url + "\",\"keywords\":[\"stranger\"]}").post("/api/v1/subscriptions")
                .then().statusCode(409).contentType("application/problem+json")
                .body("title", equalTo("Webhook already registered"))
                .body(Matchers.not(Matchers.containsString("whsec_")));
        given().get(manage).then().statusCode(200).body("keywords", equalTo(List.of(w))).body("status", equalTo("active"))
                .body("target", equalTo(url));
        given().get("/api/v1/subscriptions/manage?token=forged").then().statusCode(404).contentType("application/problem+json");

        // The owner changes filters and rotates the secret; the next delivery is signed with the new one only.
        given().contentType("application/json").body("{\"keywords\":[\"" + w + "\",\"graphs\"]}").put(manage)
                .then().statusCode(200).body("keywords", equalTo(List.of(w, "graphs")));
        String rotated = given().post(manage.replace("/manage?", "/manage/secret?")).then().statusCode(200)
                .extract().jsonPath().getString("secret");
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
        papers(paper("Owned Webhooks " + w, "About " + w, List.of("Edsger Dijkstra"), 6));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            runDigests();
            return !digests(path).isEmpty();
        });
        LoggedRequest delivery = digests(path).get(0);
        String signature = delivery.getHeader(WebhookClient.SIGNATURE_HEADER);
        assertThat(WebhookAndFeedTest.verifies(rotated, signature, delivery.getBodyAsString())).isTrue();
        assertThat(WebhookAndFeedTest.verifies(secret, signature, delivery.getBodyAsString())).isFalse();

        // An owner who lost the manage link asks for it: it goes to the webhook itself, signed, and to nobody else.
        answer(path, "manage-link", aResponse().withStatus(204));
        given().contentType("application/json").header("X-Test-Client", "lost-" + w).body("{\"webhookUrl\":\"" + url + "\"}")
                .post("/api/v1/subscriptions/manage-link").then().statusCode(202);
        given().contentType("application/json").header("X-Test-Client", "lost-" + w)
                .body("{\"webhookUrl\":\"http://127.0.0.1:" + receiver.port() + "/never-registered\"}")
                .post("/api/v1/subscriptions/manage-link").then().statusCode(202);
        // Sent in the background (the answer is as quick for an unknown URL); at most 3 a day per subscription.
        List<LoggedRequest> sent = await().atMost(Duration.ofSeconds(30)).until(() -> receiver.findAll(postRequestedFor(urlEqualTo(path))
                .withHeader(WebhookClient.EVENT_HEADER, WireMock.equalTo("manage-link"))), l -> l.size() == 1);
        assertThat(WebhookAndFeedTest.verifies(rotated, sent.get(0).getHeader(WebhookClient.SIGNATURE_HEADER), sent.get(0).getBodyAsString()))
                .isTrue();
        assertThat(manageQuery(JsonPath.from(sent.get(0).getBodyAsString()).getString("manageUrl")))
                .isEqualTo(manage);
        receiver.verify(0, postRequestedFor(urlEqualTo("/never-registered")));
        for (int i = 0; i < 4; i++) {
            given().contentType("application/json").header("X-Test-Client", "lost-" + w).body("{\"webhookUrl\":\"" + url + "\"}")
                    .post("/api/v1/subscriptions/manage-link").then().statusCode(202);
        }
        // The links go out one at a time, in order: once another webhook's link has arrived, these have all been handled.
        String marker = "/owned-marker/" + w;
        echoChallenges(marker);
        answer(marker, "manage-link", aResponse().withStatus(204));
        register("http://127.0.0.1:" + receiver.port() + marker, w);
        given().contentType("application/json").header("X-Test-Client", "lost-" + w)
                .body("{\"webhookUrl\":\"http://127.0.0.1:" + receiver.port() + marker + "\"}")
                .post("/api/v1/subscriptions/manage-link").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.findAll(postRequestedFor(urlEqualTo(marker))
                .withHeader(WebhookClient.EVENT_HEADER, WireMock.equalTo("manage-link"))).isEmpty());
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo(path)).withHeader(WebhookClient.EVENT_HEADER,
                WireMock.equalTo("manage-link")))).as("3 a day for one subscription").hasSize(3);

        // Deleted, the URL is free: registering it again makes a new subscription with a new id and secret.
        given().delete(manage).then().statusCode(204);
        JsonPath again = register(url, w);
        assertThat(again.getString("id")).isNotEqualTo(owner.getString("id"));
        assertThat(again.getString("secret")).isNotIn(secret, rotated);
        given().get(manage).then().statusCode(200).body("status", equalTo("unsubscribed"));
    }

    @Test
    void aWebhookThatKeepsFailingIsSwitchedOffAndResumedByItsOwner() throws Exception {
        String w = word();
        String path = "/failing/" + w;
        echoChallenges(path);
        answer(path, "digest", aResponse().withStatus(500));
        JsonPath created = register("http://127.0.0.1:" + receiver.port() + path, w);
        String manage = manageQuery(created.getString("manageUrl"));
        UUID id = UUID.fromString(created.getString("id"));
        papers(paper("Failing Webhooks " + w, "About " + w, List.of("Barbara Liskov"), 6));
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                Subscribers.paperViews().count("title", "Failing Webhooks " + w)) == 1);

        // Three digests on their last attempt (the test profile switches off after 3, with no minimum age).
        QuarkusTransaction.requiringNew().run(() -> {
            for (String period : List.of("test-1", "test-2", "test-3")) {
                em.createNativeQuery("""
                                insert into digest_job (subscription_id, period, status, attempts, next_attempt_at, created_at)
                                values (?1, ?2, 'due', 4, ?3, ?3)""")
                        .setParameter(1, id).setParameter(2, period).setParameter(3, Timestamp.from(Instant.now())).executeUpdate();
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            runDigests();
            return "failed".equals(given().get(manage).then().extract().jsonPath().getString("status"));
        });
        JsonPath off = given().get(manage).then().statusCode(200).extract().jsonPath();
        assertThat(off.getString("statusReason")).contains("switched off after 3 digests in a row failed", "HTTP 500");
        assertThat(off.getInt("webhookFailures")).isGreaterThanOrEqualTo(3);

        // Switched off, it gets nothing more; resumed (its receiver answers a new challenge), it is active again.
        int before = receiver.findAll(postRequestedFor(urlEqualTo(path))).size();
        runDigests();
        assertThat(receiver.findAll(postRequestedFor(urlEqualTo(path)))).hasSize(before);
        given().post(manage.replace("/manage?", "/manage/resume?")).then().statusCode(200)
                .body("status", equalTo("active")).body("webhookFailures", equalTo(0));
    }
}
