package io.paperwire.notify;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With production's webhook setting, subscribing a webhook that points inside the network is refused and stores nothing. */
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
        org.assertj.core.api.Assertions.assertThat(stored).isZero();
    }
}
