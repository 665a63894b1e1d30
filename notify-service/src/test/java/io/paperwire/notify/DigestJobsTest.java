package io.paperwire.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.notify.model.DigestOutcome;
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

    /** A subscription with one job due at {@link #T}. */
    private void dueJob(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("""
                            insert into subscription (id, kind, email, mailbox, status, frequency, timezone, send_hour, max_papers, created_at)
                            values (?1, 'email', ?2, ?2, 'active', 'daily', 'UTC', 8, 10, now())""")
                    .setParameter(1, id).setParameter(2, "jobs-" + id + "@example.org").executeUpdate();
            em.createNativeQuery("insert into digest_job (subscription_id, period, status, attempts, next_attempt_at, created_at) "
                    + "values (?1, 'p', 'due', 0, ?2, ?2)").setParameter(1, id).setParameter(2, Timestamp.from(T)).executeUpdate();
        });
    }

    @Test
    void aLapsedClaimCanNeitherSendNorFinishNorDefer() {
        UUID id = UUID.randomUUID();
        dueJob(id);
        List<DigestJobs.Job> first = QuarkusTransaction.requiringNew().call(() -> jobs.claim(T, T.plusSeconds(60), 1));
        assertThat(first).singleElement().satisfies(j -> assertThat(j.subscriptionId()).isEqualTo(id));
        // The first sender's lease runs out; another takes the job.
        QuarkusTransaction.requiringNew().run(() -> jobs.recoverExpired(T.plusSeconds(61), 6));
        List<DigestJobs.Job> second = QuarkusTransaction.requiringNew().call(() -> jobs.claim(T.plusSeconds(61), T.plusSeconds(120), 1));
        assertThat(second).singleElement().satisfies(j -> assertThat(j.attempts()).isEqualTo(2));
        assertThat(status(id)).isEqualTo("claimed/2");

        DigestJobs.Job stale = first.get(0);
        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.markSending(stale, List.of(), T.plusSeconds(300)))).isFalse();
        QuarkusTransaction.requiringNew().run(() -> jobs.defer(stale, T));
        QuarkusTransaction.requiringNew().run(() -> jobs.finish(stale, DigestOutcome.SKIPPED, 0, null, T));
        assertThat(status(id)).as("the stale claim changed nothing").isEqualTo("claimed/2");

        assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.markSending(second.get(0), List.of(), T.plusSeconds(300)))).isTrue();
        assertThat(status(id)).isEqualTo("sending/2");
    }

    /**
     * A delivery whose sender died: marked 'sending' with a fresh lease (a job that waited for a thread is not taken
     * for dead while it is delivered), then claimed again after that lease with the very papers it was about to send,
     * and failed once its senders died as many times as attempts are allowed.
     */
    @Test
    void aDeliveryWhoseSenderDiedIsSentAgainWithItsPapersUntilItsAttemptsRunOut() {
        UUID id = UUID.randomUUID();
        dueJob(id);
        List<String> papers = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        Instant t = T;
        for (int attempt = 1; attempt <= 3; attempt++) {
            Instant now = t;
            List<DigestJobs.Job> claimed = QuarkusTransaction.requiringNew().call(() -> jobs.claim(now, now.plusSeconds(10), 1));
            assertThat(claimed).singleElement().satisfies(j -> assertThat(j.subscriptionId()).isEqualTo(id));
            DigestJobs.Job job = claimed.get(0);
            assertThat(job.plannedPapers()).as("attempt %d", attempt).isEqualTo(attempt == 1 ? List.of() : papers);
            assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.markSending(job, papers, now.plusSeconds(60)))).isTrue();
            // Past the claim's lease but within the delivery's: nobody takes it.
            assertThat(QuarkusTransaction.requiringNew().call(() -> jobs.recoverExpired(now.plusSeconds(30), 3))).isZero();
            assertThat(status(id)).isEqualTo("sending/" + attempt);
            // The sender dies; its lease runs out.
            t = now.plusSeconds(61);
            Instant later = t;
            int resent = QuarkusTransaction.requiringNew().call(() -> jobs.recoverExpired(later, 3));
            assertThat(resent).isEqualTo(attempt < 3 ? 1 : 0);
        }
        assertThat(status(id)).as("its senders died as often as attempts are allowed").isEqualTo("failed/3");
    }
}
