package io.paperwire.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperMerged;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.model.SubscriptionKind;
import io.paperwire.notify.model.SubscriptionStatus;
import io.paperwire.notify.repository.DigestJobs;
import io.paperwire.notify.repository.SubscriptionEntity;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.paperwire.testing.TestProducer;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** When digests fall due in each subscriber's own time zone; the home page's form; merges and what was sent. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class DigestPlanningTest {

    @Inject
    DigestJobs jobs;

    static UUID subscription(SubscriptionStatus status, Frequency frequency, String timezone, int sendHour) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SubscriptionEntity s = new SubscriptionEntity();
            s.id = UUID.randomUUID();
            s.kind = SubscriptionKind.EMAIL;
            s.email = "plan-" + s.id + "@example.org";
            s.status = status;
            s.frequency = frequency;
            s.timezone = timezone;
            s.sendHour = sendHour;
            s.maxPapers = 5;
            s.createdAt = Instant.now();
            Subscribers.subscriptions().persist(s);
            return s.id;
        });
    }

    Map<UUID, String> periodsOf(List<UUID> ids) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = Panache.getEntityManager()
                    .createNativeQuery("select subscription_id, period from digest_job where subscription_id = any(?1)")
                    .setParameter(1, ids.toArray(UUID[]::new)).getResultList();
            return rows.stream().collect(Collectors.toMap(r -> (UUID) r[0], r -> (String) r[1]));
        });
    }

    @Test
    void digestsFallDueAtTheSendHourInEachSubscribersTimeZone() {
        UUID utcSeven = subscription(SubscriptionStatus.ACTIVE, Frequency.DAILY, "UTC", 7);
        UUID utcEight = subscription(SubscriptionStatus.ACTIVE, Frequency.DAILY, "UTC", 8);
        UUID tokyo = subscription(SubscriptionStatus.ACTIVE, Frequency.DAILY, "Asia/Tokyo", 16);
        UUID losAngeles = subscription(SubscriptionStatus.ACTIVE, Frequency.DAILY, "America/Los_Angeles", 23);
        UUID weekly = subscription(SubscriptionStatus.ACTIVE, Frequency.WEEKLY, "UTC", 9);
        UUID paused = subscription(SubscriptionStatus.PAUSED, Frequency.DAILY, "UTC", 0);
        List<UUID> all = List.of(utcSeven, utcEight, tokyo, losAngeles, weekly, paused);

        // Monday 2026-11-23 07:30 UTC: 16:30 in Tokyo, 23:30 on Sunday in Los Angeles.
        Instant monday = Instant.parse("2026-11-23T07:30:00Z");
        QuarkusTransaction.requiringNew().run(() -> jobs.planDue(monday, false, null));
        assertThat(periodsOf(all)).containsOnly(Map.entry(utcSeven, "2026-11-23"), Map.entry(tokyo, "2026-11-23"),
                Map.entry(losAngeles, "2026-11-22"));
        int again = QuarkusTransaction.requiringNew().call(() -> jobs.planDue(monday, false, null));
        assertThat(again).as("planning twice queues nothing twice").isZero();
        assertThat(periodsOf(all)).hasSize(3);

        // Tuesday 01:00 UTC: the weekly digest of ISO week 48 is overdue (Monday's 09:00 has passed).
        QuarkusTransaction.requiringNew().run(() -> jobs.planDue(Instant.parse("2026-11-24T01:00:00Z"), false, "weekly"));
        assertThat(periodsOf(List.of(weekly))).containsExactly(Map.entry(weekly, "2026-W48"));
        assertThat(periodsOf(List.of(paused))).isEmpty();
    }

    @Test
    void theHomePageFormSubscribes() {
        String w = Subscribers.word();
        given().get("/").then().statusCode(200).body(containsString("<form method=\"post\" action=\"/subscribe\""));
        given().header("X-Test-Client", "form-" + w).contentType("application/x-www-form-urlencoded")
                .formParam("email", Subscribers.address(w)).formParam("keywords", "graphs, <b>tags</b>").formParam("frequency", "weekly")
                .post("/subscribe").then().statusCode(200).body(containsString("Check your inbox"));
        Subscribers.awaitMail(Subscribers.address(w), "Confirm");
        SubscriptionEntity s = QuarkusTransaction.requiringNew()
                .call(() -> Subscribers.subscriptions().find("email", Subscribers.address(w)).firstResult());
        assertThat(s.keywords).containsExactly("graphs", "<b>tags</b>");
        assertThat(s.frequency).isEqualTo(Frequency.WEEKLY);
        assertThat(s.status).isEqualTo(SubscriptionStatus.PENDING);

        given().header("X-Test-Client", "form-" + w).contentType("application/x-www-form-urlencoded").formParam("email", "nope")
                .post("/subscribe").then().statusCode(400).body(containsString("not an email address"));
    }

    @Test
    void aMergedPaperIsNotSentAgainUnderItsSurvivorsId() throws Exception {
        String w = Subscribers.word();
        String email = Subscribers.address(w);
        var absorbed = Subscribers.paper("Merged Away " + w, null, List.of(), 5);
        Subscribers.papers(absorbed);
        Subscribers.subscribeAndConfirm(email, "{\"email\":\"" + email + "\",\"keywords\":[\"" + w + "\"]}");
        Subscribers.runDigests();
        Subscribers.awaitMail(email, "Paperwire digest");

        // dedup merges it into a survivor with a richer record: merged-into event, tombstone, survivor state.
        var survivor = Subscribers.paper("Merged Away " + w, "Now with an abstract.", List.of(), 9);
        PaperMerged merged = new PaperMerged(absorbed.paperId(), survivor.paperId(), Instant.now());
        TestProducer.send(PaperTopic.CONSOLIDATED.topicName(), absorbed.paperId(), PaperEventsJson.mapper().writeValueAsString(merged),
                CloudEvents.headers(absorbed.paperId() + "/merged", CloudEvents.TYPE_PAPER_MERGED, "/test", merged.mergedAt(),
                        absorbed.paperId(), CloudEvents.SCHEMA_PAPER_MERGED));
        Subscribers.papers(survivor);
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager()
                .createNativeQuery("select count(*) from digest_sent where paper_id = ?1 and subscription_id in "
                        + "(select id from subscription where email = ?2)").setParameter(1, survivor.paperId()).setParameter(2, email)
                .getSingleResult()).intValue() == 1));
        QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager()
                .createNativeQuery("delete from digest_job where subscription_id in (select id from subscription where email = ?1)")
                .setParameter(1, email).executeUpdate());
        Subscribers.runDigests();
        assertThat(Subscribers.mails(email, "Paperwire")).as("the survivor counts as sent").hasSize(1);
    }
}
