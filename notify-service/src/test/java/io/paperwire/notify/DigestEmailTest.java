package io.paperwire.notify;

import static io.restassured.RestAssured.given;
import static io.paperwire.notify.Subscribers.address;
import static io.paperwire.notify.Subscribers.awaitMail;
import static io.paperwire.notify.Subscribers.link;
import static io.paperwire.notify.Subscribers.mails;
import static io.paperwire.notify.Subscribers.paper;
import static io.paperwire.notify.Subscribers.papers;
import static io.paperwire.notify.Subscribers.runDigests;
import static io.paperwire.notify.Subscribers.subscribeAndConfirm;
import static io.paperwire.notify.Subscribers.word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import io.paperwire.notify.model.SubscriptionStatus;
import io.paperwire.notify.repository.SubscriptionEntity;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.paperwire.testing.TestClock;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The email story: subscribe, confirm by the signed link, one well-formed digest per period (never a paper twice),
 * one-click unsubscribe, and no second copy after a crash between sending and recording.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class DigestEmailTest {

    @Inject
    TestClock clock;

    static SubscriptionEntity subscription(String email) {
        return QuarkusTransaction.requiringNew().call(() -> Subscribers.subscriptions().find("email", email).firstResult());
    }

    @Test
    void aConfirmedSubscriberGetsOneWellFormedDigestPerPeriodAndOneClickUnsubscribeStopsThem() throws Exception {
        String w = word();
        String email = address(w);
        papers(paper("<script>alert('x')</script> Attention for " + w, "An abstract about " + w + " & <b>bold</b> claims.",
                        List.of("Ada Lovelace", "Alan Turing"), 9.5),
                paper("Unrelated Paper " + word(), "Nothing to see.", List.of(), 50));

        subscribeAndConfirm(email, "{\"email\":\"" + email + "\",\"keywords\":[\"" + w + "\"]}");
        assertThat(subscription(email).status).isEqualTo(SubscriptionStatus.ACTIVE);

        runDigests();
        JsonNode mail = awaitMail(email, "Paperwire digest");
        MimeMessage mime = Subscribers.parse(mail);
        assertThat(mime.getContentType()).startsWith("multipart/alternative");
        Multipart parts = (Multipart) mime.getContent();
        assertThat(List.of(parts.getBodyPart(0).getContentType(), parts.getBodyPart(1).getContentType()))
                .anyMatch(t -> t.startsWith("text/plain")).anyMatch(t -> t.startsWith("text/html"));
        SubscriptionEntity s = subscription(email);
        // The period the service ran (read back, not recomputed: a run just before midnight names the day before).
        List<String> periods = periods(s.id, "sent");
        assertThat(periods).hasSize(1);
        assertThat(mime.getHeader("Message-ID", null)).isEqualTo("<digest." + s.id + "." + periods.get(0) + "@paperwire>");
        assertThat(mime.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        String unsubscribe = mime.getHeader("List-Unsubscribe", null);
        assertThat(unsubscribe).startsWith("<http").contains("/subscriptions/unsubscribe?token=").endsWith(">");

        String html = mail.path("html").asText();
        assertThat(html).contains("&lt;script&gt;alert(").doesNotContain("<script>").contains("&lt;b&gt;bold&lt;/b&gt;");
        assertThat(html).as("only the matching paper").doesNotContain("Unrelated Paper");
        // The text twin is text: nothing escaped, the matched word between stars.
        assertThat(mail.path("text").asText()).contains("<script>alert('x')</script> Attention for *" + w + "*");
        // The links in the mail work.
        given().get(link(html, "/subscriptions/manage")).then().statusCode(200).body(containsString(email));
        given().get(link(html, "/feeds/")).then().statusCode(200);

        // The same period again sends nothing.
        runDigests();
        assertThat(mails(email, "Paperwire")).hasSize(1);
        // A new period with nothing new for this subscriber sends nothing either: the service's clock moves to the next
        // day, the period is planned and run, and its job ends skipped.
        clock.advance(Duration.ofDays(1));
        try {
            runDigests();
        } finally {
            clock.reset();
        }
        assertThat(periods(s.id, "skipped")).as("the next day's period was run").hasSize(1).doesNotContainAnyElementsOf(periods);
        assertThat(mails(email, "Paperwire")).hasSize(1);

        // The header's token can unsubscribe and nothing else: a forwarded mail hands nobody the preferences.
        String oneClick = unsubscribe.substring(1, unsubscribe.length() - 1);
        String headerToken = oneClick.substring(oneClick.indexOf("token=") + "token=".length());
        given().get("/subscriptions/manage?token=" + headerToken).then().statusCode(404);
        given().get("/api/v1/subscriptions/manage?token=" + headerToken).then().statusCode(404);
        // One click (RFC 8058): a POST of List-Unsubscribe=One-Click to the header's URL.
        given().contentType("application/x-www-form-urlencoded").body("List-Unsubscribe=One-Click")
                .post(link(unsubscribe.substring(1, unsubscribe.length() - 1), "/subscriptions/unsubscribe")).then().statusCode(200);
        assertThat(subscription(email).status).isEqualTo(SubscriptionStatus.UNSUBSCRIBED);
        papers(paper("Another paper on " + w, null, List.of(), 20));
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager()
                .createNativeQuery("delete from digest_job where subscription_id = ?1").setParameter(1, s.id).executeUpdate());
        runDigests();
        assertThat(mails(email, "Paperwire")).as("nothing after unsubscribing").hasSize(1);
    }

    @Test
    void eachPaperOfADigestSaysWhyItIsThereAndWhereToReadItInBothParts() throws Exception {
        String w = word();
        String email = address(w);
        PaperConsolidated p = new PaperConsolidated(UUID.randomUUID().toString(), 1, PaperConsolidated.ChangeType.CREATED, "2502.01234",
                null, "Sparse Experts at Scale", "sparse experts at scale", List.of(), "We study " + w + " routing in sparse experts.",
                List.of("Ada Lovelace", "Alan Turing"), List.of("cs.LG"), Instant.now(), Instant.now(), 4, List.of("hf-daily", "arxiv-cs"),
                41, 7, List.of(), Instant.now());
        papers(p);
        subscribeAndConfirm(email, "{\"email\":\"" + email + "\",\"keywords\":[\"" + w + "\"]}");
        runDigests();
        JsonNode mail = awaitMail(email, "Paperwire digest");
        String html = mail.path("html").asText();
        String text = mail.path("text").asText();
        // Laid out for mail clients: tables, inline styles, a dark scheme for those that read a style sheet.
        assertThat(html).contains("role=\"presentation\"", "prefers-color-scheme: dark", "style=\"");
        // Why: the matched word marked in the abstract and named, and the rank reason in words (no raw score).
        assertThat(html).contains("<span class=\"pw-mark\" style=\"background:#fff1a8;color:#1d1d1f;\">" + w + "</span>")
                .contains("matches “" + w + "” · 41 upvotes · seen on 2 sources · listed 4 times").doesNotContain("7.0");
        assertThat(text).contains("*" + w + "*", "Why: matches \"" + w + "\" · 41 upvotes · seen on 2 sources · listed 4 times");
        // Where to read it, in both parts alike.
        String page = "/papers/" + p.paperId();
        for (String part : List.of(html, text)) {
            assertThat(part).contains("https://arxiv.org/abs/2502.01234", "https://arxiv.org/pdf/2502.01234",
                    "https://huggingface.co/papers/2502.01234", page, "Ada Lovelace, Alan Turing");
        }
    }

    @Test
    void aCrashBetweenSendingAndRecordingSendsAgainWithTheSameMessageId() throws Exception {
        String w = word();
        String email = address(w);
        papers(paper("Crash Safe Digests " + w, null, List.of(), 4));
        subscribeAndConfirm(email, "{\"email\":\"" + email + "\",\"keywords\":[\"" + w + "\"]}");
        SubscriptionEntity s = subscription(email);

        // A real fault where the crash would be: the database refuses to record this subscription's digest as sent (a
        // trigger), so the delivery happened and the record of it did not, as when a sender dies between the two.
        String refuse = "refuse_sent_" + s.id.toString().replace("-", "");
        sql("create function " + refuse + "() returns trigger language plpgsql as $$ begin "
                + "raise exception 'simulated crash after delivery, before recording'; end $$");
        sql("create trigger " + refuse + " before update on digest_job for each row when (new.status = 'sent' "
                + "and new.subscription_id = '" + s.id + "') execute function " + refuse + "()");
        try {
            runDigestsExpectingTheCrash();
        } finally {
            sql("drop trigger " + refuse + " on digest_job");
            sql("drop function " + refuse + "()");
        }
        assertThat(mails(email, "Paperwire digest")).hasSize(1);

        // A paper arrives meanwhile: it belongs in the next digest, not in a copy of this one.
        papers(paper("Arrived Later " + w, null, List.of(), 9));
        // The replica is gone; its lease runs out. Whether the mail arrived is unknown to the next run: it sends the
        // digest again, as the same message with the same papers, and records it as sent.
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager()
                .createNativeQuery("update digest_job set lease_until = now() - interval '1 second' where subscription_id = ?1")
                .setParameter(1, s.id).executeUpdate());
        runDigests();
        List<JsonNode> copies = mails(email, "Paperwire digest");
        assertThat(copies).hasSize(2);
        assertThat(copies.get(1).path("messageId").asText()).as("the re-send is the same message")
                .isEqualTo(copies.get(0).path("messageId").asText()).isNotBlank();
        assertThat(copies.get(1).path("text").asText()).contains("Crash Safe Digests *" + w + "*").doesNotContain("Arrived Later");
        String status = QuarkusTransaction.requiringNew().call(() -> (String) Panache.getEntityManager()
                .createNativeQuery("select status from digest_job where subscription_id = ?1").setParameter(1, s.id).getSingleResult());
        assertThat(status).isEqualTo("sent");
        runDigests();
        assertThat(mails(email, "Paperwire digest")).as("once recorded, never again").hasSize(2);
    }

    @Test
    void thePreferencesPageSavesFiltersAndPausesAndTheUnsubscribePageHasAButton() {
        String w = word();
        String email = address(w);
        String confirm = subscribeAndConfirm(email, "{\"email\":\"" + email + "\"}");
        String page = given().post(link(confirm, "/subscriptions/confirm")).then().extract().asString();
        String manage = link(page, "/subscriptions/manage");
        given().get(manage).then().statusCode(200).body(containsString("<form method=\"post\""));

        given().contentType("application/x-www-form-urlencoded").formParam("action", "save").formParam("keywords", "graphs, <i>x</i>")
                .formParam("excludeKeywords", "survey").formParam("authors", "").formParam("categories", "cs.LG")
                .formParam("minScore", "1.5").formParam("frequency", "weekly").formParam("timezone", "Europe/Berlin")
                .formParam("sendHour", "6").formParam("maxPapers", "7")
                .post(manage).then().statusCode(200).body(containsString("Saved.")).body(containsString("&lt;i&gt;x&lt;/i&gt;"));
        SubscriptionEntity s = subscription(email);
        assertThat(s.keywords).containsExactly("graphs", "<i>x</i>");
        assertThat(s.excludeKeywords).containsExactly("survey");
        assertThat(s.categories).containsExactly("cs.LG");
        assertThat(List.of(s.minScore, (double) s.sendHour, (double) s.maxPapers)).containsExactly(1.5, 6.0, 7.0);
        assertThat(List.of(s.frequency.value(), s.timezone)).containsExactly("weekly", "Europe/Berlin");

        given().contentType("application/x-www-form-urlencoded").formParam("action", "save").formParam("timezone", "Mars/Olympus")
                .post(manage).then().statusCode(400).body(containsString("time zone"));
        given().contentType("application/x-www-form-urlencoded").formParam("action", "pause").post(manage).then().statusCode(200);
        assertThat(subscription(email).status).isEqualTo(SubscriptionStatus.PAUSED);
        given().contentType("application/x-www-form-urlencoded").formParam("action", "resume").post(manage).then().statusCode(200);
        assertThat(subscription(email).status).isEqualTo(SubscriptionStatus.ACTIVE);

        String unsubscribe = link(page, "/subscriptions/unsubscribe");
        given().get(unsubscribe).then().statusCode(200).body(containsString("<button type=\"submit\">Unsubscribe</button>"));
        assertThat(subscription(email).status).as("a GET changes nothing").isEqualTo(SubscriptionStatus.ACTIVE);
        given().contentType("application/x-www-form-urlencoded").post(unsubscribe).then().statusCode(200);
        assertThat(subscription(email).status).isEqualTo(SubscriptionStatus.UNSUBSCRIBED);
        given().get(manage.replace("token=", "token=x")).then().statusCode(404);
    }

    /** The periods of this subscription's digest jobs with this status. */
    @SuppressWarnings("unchecked")
    private static List<String> periods(UUID subscription, String status) {
        return QuarkusTransaction.requiringNew().call(() -> (List<String>) Panache.getEntityManager()
                .createNativeQuery("select period from digest_job where subscription_id = ?1 and status = ?2 order by period")
                .setParameter(1, subscription).setParameter(2, status).getResultList());
    }

    private static void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(statement).executeUpdate());
    }

    private static void runDigestsExpectingTheCrash() {
        given().header("Authorization", "Bearer " + Subscribers.TOKEN).contentType("application/json").body("{}")
                .post("/api/v1/digests/run").then().statusCode(500);
    }

    @Test
    void subscribingTwiceKeepsOneSubscriptionAndMailsAreLimitedPerAddress() {
        String w = word();
        String email = address(w);
        for (int i = 0; i < 5; i++) {
            Subscribers.subscribe("{\"email\":\"" + email.toUpperCase() + "\"}", "client-" + w);
        }
        long rows = QuarkusTransaction.requiringNew().call(() -> Subscribers.subscriptions().count("lower(email) = ?1", email));
        assertThat(rows).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> mails(email, "Confirm").size() == 3);
        assertThat(mails(email, "Confirm")).as("at most 3 confirmation mails a day").hasSize(3);

        // +tag aliases deliver to the same mailbox: they share its allowance, which is used up.
        String local = email.substring(0, email.indexOf('@'));
        String domain = email.substring(email.indexOf('@'));
        for (String tag : List.of("a", "b", "c")) {
            Subscribers.subscribe("{\"email\":\"" + local + "+" + tag + domain + "\"}", "client-" + w + tag);
        }
        for (String tag : List.of("a", "b", "c")) {
            assertThat(mails(local + "+" + tag + domain, "Confirm")).as("alias +" + tag).isEmpty();
        }
    }

    @Test
    void aConfirmationLinkExpires() {
        String email = address(word());
        Subscribers.subscribe("{\"email\":\"" + email + "\"}", "client-" + email);
        String url = link(awaitMail(email, "Confirm").path("text").asText(), "/subscriptions/confirm");
        clock.advance(Duration.ofDays(8)); // the link lives 7 days
        try {
            given().get(url).then().statusCode(404).body(containsString("Link not valid"));
            given().post(url).then().statusCode(404);
            assertThat(subscription(email).status).isEqualTo(SubscriptionStatus.PENDING);
        } finally {
            clock.reset();
        }
        given().post(url).then().statusCode(200).body(containsString("Subscription confirmed"));
    }

    @Test
    void openingTheConfirmationLinkConfirmsNothingUntilItsButtonIsPressed() {
        String email = address(word());
        Subscribers.subscribe("{\"email\":\"" + email + "\"}", "client-" + email);
        String url = link(awaitMail(email, "Confirm").path("text").asText(), "/subscriptions/confirm");
        // What a mail scanner or a link preview does: GET, maybe twice.
        given().get(url).then().statusCode(200).body(containsString("<form method=\"post\""));
        given().get(url).then().statusCode(200);
        assertThat(subscription(email).status).isEqualTo(SubscriptionStatus.PENDING);
        given().post(url).then().statusCode(200).body(containsString("Subscription confirmed"));
        assertThat(subscription(email).status).isEqualTo(SubscriptionStatus.ACTIVE);
    }

    @Test
    void subscribeIsRateLimitedPerClientAndBadInputIsAProblem() {
        String client = "client-" + word();
        int accepted = 0;
        int limited = 0;
        for (int i = 0; i < 25; i++) {
            int status = given().contentType("application/json").header("X-Test-Client", client)
                    .body("{\"email\":\"" + address(word()) + "\"}").post("/api/v1/subscriptions").then().extract().statusCode();
            if (status == 202) {
                accepted++;
            } else if (status == 429) {
                limited++;
            }
        }
        assertThat(accepted).isEqualTo(20);
        assertThat(limited).isEqualTo(5);
        given().contentType("application/json").header("X-Test-Client", client).body("{}").post("/api/v1/subscriptions").then()
                .statusCode(429).header("Retry-After", Matchers.notNullValue());

        String other = "client-" + word();
        given().contentType("application/json").header("X-Test-Client", other).body("{\"email\":\"not an address\"}")
                .post("/api/v1/subscriptions").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("email"));
        given().contentType("application/json").header("X-Test-Client", other)
                .body("{\"email\":\"" + address(word()) + "\",\"frequency\":\"hourly\"}")
                .post("/api/v1/subscriptions").then().statusCode(400).body("detail", containsString("frequency"));
        given().get("/subscriptions/confirm?token=forged").then().statusCode(404);
        given().contentType("application/json").body("{}").post("/api/v1/digests/run").then().statusCode(401);
    }
}
