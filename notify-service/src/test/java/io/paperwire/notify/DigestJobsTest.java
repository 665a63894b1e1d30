package io.paperwire.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.notify.repository.DigestJobs;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A sender whose claim lapsed (its task queued behind a stuck pass, say) and was taken by another changes nothing:
 * the job's transitions match the claim's attempt. Times are in the year 2000 so that no other test's job qualifies.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class DigestJobsTest {

    static final Instant T = Instant.parse("2000-01-01T00:00:00Z");

    @Inject
    DigestJobs jobs;

    @Inject
    EntityManager em;

    String status(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select status || '/' || attempts from digest_job where subscription_id = ?1").setParameter(1, id).getSingleResult());
    }

    @Test
    void aLapsedClaimCanNeitherSendNorFinishNorDefer() {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("""
                            insert into subscription (id, kind, email, mailbox, status, frequency, timezone, send_hour, max_papers, created_at)
                            values (?1, 'email', ?2, ?2, 'active', 'daily', 'UTC', 8, 10, now())""")
                    .setParameter(1, id).setParameter(2, "lapsed-" + id + "@example.org").executeUpdate();
            em.createNativeQuery("insert into digest_job (subscription_id, period, status, attempts, next_attempt_at, created_at) "
                    + "values (?1, 'p', 'due', 0, ?2, ?2)").setParameter(1, id).setParameter(2, Timestamp.from(T)).executeUpdate();
        });
        List<DigestJobs.Job> first = QuarkusTransaction.requiringNew().call(() -> jobs.claim(T, T.plusSeconds(60), 1));
        assertThat(first).singleElement().satisfies(j -> assertThat(j.subscriptionId()).isEqualTo(id));
        // The first sender's lease runs out; another takes the job.
        QuarkusTransaction.requiringNew().run(() -> jobs.recoverExpired(T.plusSeconds(61)));
        List<DigestJobs.Job> second = QuarkusTransaction.requiringNew().call(() -> jobs.claim(T.plusSeconds(61), T.plusSeconds(120), 1));
        assertThat(second).singleElement().satisfies(j -> assertThat(j.attempts()).isEqualTo(2));
        assertThat(status(id)).isEqualTo("claimed/2");

        DigestJobs.Job stale = first.get(0);
        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.markSending(stale))).isFalse();
        QuarkusTransaction.requiringNew().run(() -> jobs.defer(stale, T));
        QuarkusTransaction.requiringNew().run(() -> jobs.finish(stale, "skipped", 0, null, T));
        assertThat(status(id)).as("the stale claim changed nothing").isEqualTo("claimed/2");

        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.markSending(second.get(0)))).isTrue();
        assertThat(status(id)).isEqualTo("sending/2");
    }
}
