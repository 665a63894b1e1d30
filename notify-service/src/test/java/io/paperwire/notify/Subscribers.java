package io.paperwire.notify;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.notify.repository.PaperViewRepository;
import io.paperwire.notify.repository.SubscriptionRepository;
import io.paperwire.testing.Harness;
import io.paperwire.testing.TestStack;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hamcrest.Matchers;

/** What the subscription tests share: papers into the read model, subscribers through the API, mail out of the server. */
final class Subscribers {

    static final String TOKEN = Harness.API_TOKEN;

    private Subscribers() {
    }

    /** The subscription table, as the service reaches it. */
    static SubscriptionRepository subscriptions() {
        return Arc.container().instance(SubscriptionRepository.class).get();
    }

    /** notify's read model of papers. */
    static PaperViewRepository paperViews() {
        return Arc.container().instance(PaperViewRepository.class).get();
    }

    static String word() {
        return "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static String address(String word) {
        return word + "@example.org";
    }

    /** Publishes papers on paper.consolidated.v1 and waits until the read model holds them. */
    static void papers(PaperConsolidated... states) throws Exception {
        for (PaperConsolidated p : states) {
            ReadModelRoundTripTest.publish(p);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> QuarkusTransaction.requiringNew().call(() -> {
            for (PaperConsolidated p : states) {
                if (Subscribers.paperViews().findById(p.paperId()) == null) {
                    return false;
                }
            }
            return true;
        }));
    }

    static PaperConsolidated paper(String title, String abstractText, List<String> authors, double score) {
        return paper(title, abstractText, authors, List.of("cs.LG"), score);
    }

    static PaperConsolidated paper(String title, String abstractText, List<String> authors, List<String> categories, double score) {
        Instant t = Instant.now();
        return new PaperConsolidated(UUID.randomUUID().toString(), 1, PaperConsolidated.ChangeType.CREATED, null, null, title,
                title.toLowerCase(), List.of(), abstractText, authors, categories, t, t, 1, List.of("test"), 3, score, List.of(), t);
    }

    static void subscribe(String json, String client) {
        given().contentType("application/json").header("X-Test-Client", client).body(json)
                .post("/api/v1/subscriptions").then().statusCode(202);
    }

    /** Mails received for {@code address} whose subject starts with {@code subjectPrefix}. */
    static List<JsonNode> mails(String address, String subjectPrefix) {
        return TestStack.mail().messagesTo(address).stream().filter(m -> m.path("subject").asText().startsWith(subjectPrefix)).toList();
    }

    static JsonNode awaitMail(String address, String subjectPrefix) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !mails(address, subjectPrefix).isEmpty());
        return mails(address, subjectPrefix).get(0);
    }

    /** The first link in a text whose path starts with {@code path}, as path and query (the test server's port is random). */
    static String link(String text, String path) {
        Matcher m = Pattern.compile("https?://[^\\s\"<>]+" + Pattern.quote(path) + "[^\\s\"<>]*").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + path + " link in:\n" + text);
        }
        URI uri = URI.create(m.group().replace("&amp;", "&"));
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /**
     * Subscribes, opens the confirmation link (a page with a button: the GET itself confirms nothing, as a mail
     * scanner would follow it), presses the button, and returns the confirmation mail's text.
     */
    static String subscribeAndConfirm(String address, String json) {
        subscribe(json, "client-" + address);
        JsonNode confirm = awaitMail(address, "Confirm");
        String url = link(confirm.path("text").asText(), "/subscriptions/confirm");
        given().get(url).then().statusCode(200).body(Matchers.containsString("<form method=\"post\""));
        given().post(url).then().statusCode(200).body(Matchers.containsString("Subscription confirmed"));
        return confirm.path("text").asText();
    }

    static void runDigests() {
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{}")
                .post("/api/v1/digests/run").then().statusCode(200);
    }

    static MimeMessage parse(JsonNode mail) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(mail.path("raw").asText().getBytes(StandardCharsets.UTF_8)));
    }
}
