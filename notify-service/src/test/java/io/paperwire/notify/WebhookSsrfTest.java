package io.paperwire.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.model.SubscriptionKind;
import io.paperwire.notify.model.SubscriptionStatus;
import io.paperwire.notify.repository.SubscriptionEntity;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With production's webhook setting, nothing reaches inside the network: not at subscribing, not at delivery. */
@QuarkusTest
@TestProfile(WebhookSsrfTest.ProductionWebhooks.class)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class WebhookSsrfTest {

    /** Private targets refused, as in production (https is still waived so that http URLs test the address rule alone). */
    public static class ProductionWebhooks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("paperwire.notify.webhook.allow-private-targets", "false");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data/",
            "http://localhost:8080/hook"})
    void webhooksToPrivateAddressesAreRefused(String url) {
        given().contentType("application/json").header("X-Test-Client", "ssrf-" + url).body("{\"webhookUrl\":\"" + url + "\"}")
                .post("/api/v1/subscriptions").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("public addresses"));
        long stored = QuarkusTransaction.requiringNew().call(() -> Subscribers.subscriptions().count("webhookUrl", url));
        assertThat(stored).isZero();
    }

    /**
     * The rule holds at delivery too, not only when subscribing: a name that resolved to a public address then may
     * point inside now (DNS rebinding). Such a subscription (stored as if it had passed) gets no request; its digest
     * fails with the reason.
     */
    @Test
    void aDigestIsNotDeliveredToATargetThatNowResolvesInside() throws Exception {
        WireMockServer inside = new WireMockServer(options().dynamicPort());
        inside.start();
        try {
            inside.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("ok")));
            String w = Subscribers.word();
            Subscribers.papers(Subscribers.paper("Rebound Names " + w, null, List.of(), 2));
            UUID id = UUID.randomUUID();
            QuarkusTransaction.requiringNew().run(() -> {
                SubscriptionEntity s = new SubscriptionEntity();
                s.id = id;
                s.kind = SubscriptionKind.WEBHOOK;
                s.webhookUrl = "http://localhost:" + inside.port() + "/hook";
                s.webhookSecretNonce = "nonce-" + w;
                s.status = SubscriptionStatus.ACTIVE;
                s.keywords = new ArrayList<>(List.of(w));
                s.frequency = Frequency.DAILY;
                s.timezone = "UTC";
                s.maxPapers = 5;
                s.createdAt = Instant.now();
                s.confirmedAt = s.createdAt;
                Subscribers.subscriptions().persist(s);
            });
            Subscribers.runDigests();
            inside.verify(0, postRequestedFor(urlEqualTo("/hook")));
            String error = QuarkusTransaction.requiringNew().call(() -> (String) Panache.getEntityManager()
                    .createNativeQuery("select last_error from digest_job where subscription_id = ?1").setParameter(1, id).getSingleResult());
            assertThat(error).contains("public addresses");
        } finally {
            inside.stop();
        }
    }
}
