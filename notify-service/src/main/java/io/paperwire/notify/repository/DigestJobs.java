package io.paperwire.notify.repository;

import io.paperwire.notify.model.DigestOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The digest queue, one row per (subscription, period). Planning inserts rows (a repeat inserts nothing); senders
 * claim due rows with {@code FOR UPDATE SKIP LOCKED}, so replicas work the queue in parallel without sharing a row.
 * States: due, claimed (a sender holds it, nothing sent yet), sending (the mail or POST is under way), then sent,
 * skipped, failed, cancelled. A 'sending' row whose sender died may or may not have been delivered: it is due again,
 * and the re-send carries the same Message-ID (or webhook delivery id), so at least one copy arrives and a receiver
 * can collapse a second. ('in_doubt', which such rows once became and were never sent, survives only in old rows.)
 */
@ApplicationScoped
public class DigestJobs {

    /**
     * A claimed job; {@code plannedPapers} are the paper ids an earlier attempt marked for sending (its outcome was
     * unknown or it failed), in order, or empty for a first attempt.
     */
    public record Job(UUID subscriptionId, String period, int attempts, List<String> plannedPapers) {

        public Job(UUID subscriptionId, String period, int attempts) {
            this(subscriptionId, period, attempts, List.of());
        }

        public Job {
            plannedPapers = plannedPapers == null ? List.of() : List.copyOf(plannedPapers);
        }
    }

    /** The advisory lock key of the planner ("pwplan" in ASCII). */
    private static final long PLANNER_LOCK = 0x707770_6c616eL;

    private final EntityManager em;

    public DigestJobs(EntityManager em) {
        this.em = em;
    }

    /**
     * Queues the current period of every active subscription that is due: its local time has reached the send hour
     * (for weekly digests, of Monday) in its time zone. Computed in SQL over all subscriptions at once.
     */
    public int planDue(Instant now, boolean ignoreSendHour, String frequency) {
        return em.createNativeQuery("""
                        insert into digest_job (subscription_id, period, status, next_attempt_at, created_at)
                        select s.id,
                               case when s.frequency = 'daily' then to_char((cast(?1 as timestamptz) at time zone s.timezone), 'YYYY-MM-DD')
                                    else to_char((cast(?1 as timestamptz) at time zone s.timezone), 'IYYY-"W"IW') end,
                               'due', ?1, ?1
                        from subscription s
                        where s.status = 'active' and (?3 = '' or s.frequency = ?3)
                          and (?2 or extract(hour from (cast(?1 as timestamptz) at time zone s.timezone)) >= s.send_hour
                                  or (s.frequency = 'weekly' and extract(isodow from (cast(?1 as timestamptz) at time zone s.timezone)) > 1))
                        on conflict (subscription_id, period) do nothing""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, ignoreSendHour).setParameter(3, frequency == null ? "" : frequency)
                .executeUpdate();
    }

    /** Claims up to {@code limit} due jobs for this sender until {@code leaseUntil}. */
    @SuppressWarnings("unchecked")
    public List<Job> claim(Instant now, Instant leaseUntil, int limit) {
        List<Object[]> rows = em.createNativeQuery("""
                        update digest_job j set status = 'claimed', lease_until = ?2, attempts = j.attempts + 1
                        from (select subscription_id, period from digest_job
                              where status = 'due' and next_attempt_at <= ?1
                              order by next_attempt_at limit ?3 for update skip locked) d
                        where j.subscription_id = d.subscription_id and j.period = d.period
                        returning j.subscription_id, j.period, j.attempts, j.planned_papers""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, Timestamp.from(leaseUntil)).setParameter(3, limit)
                .getResultList();
        return rows.stream().map(r -> new Job((UUID) r[0], (String) r[1], ((Number) r[2]).intValue(),
                r[3] == null || ((String) r[3]).isEmpty() ? List.of() : List.of(((String) r[3]).split(",")))).toList();
    }

    /**
     * Jobs whose sender died go back to due: a 'claimed' one had sent nothing; a 'sending' one may have been
     * delivered, and is sent again (the same papers under the same Message-ID) because a lost digest is worse than a
     * copy that mail clients collapse. A job whose senders died {@code maxAttempts} times is failed instead, so that a
     * digest that kills its sender (say, by running it out of memory) is not mailed again and again. Returns how many
     * jobs are to be sent again.
     */
    public int recoverExpired(Instant now, int maxAttempts) {
        em.createNativeQuery("update digest_job set status = 'due', lease_until = null where status = 'claimed' and lease_until < ?1")
                .setParameter(1, Timestamp.from(now)).executeUpdate();
        em.createNativeQuery("""
                        update digest_job set status = 'failed', lease_until = null, finished_at = ?1,
                            last_error = 'the sender stopped during delivery ' || attempts || ' times'
                        where status = 'sending' and lease_until < ?1 and attempts >= ?2""")
                .setParameter(1, Timestamp.from(now)).setParameter(2, maxAttempts).executeUpdate();
        return em.createNativeQuery("""
                        update digest_job set status = 'due', lease_until = null, next_attempt_at = ?1,
                            last_error = 'the sender stopped during delivery; sent again with the same Message-ID'
                        where status = 'sending' and lease_until < ?1""")
                .setParameter(1, Timestamp.from(now)).executeUpdate();
    }

    /**
     * From here a crash leaves the outcome unknown, and the job is sent again, with these papers, once its lease ran out.
     * Only the sender that holds this
     * very claim gets here ({@code attempts} counts claims): a sender whose claim lapsed and was taken again does not.
     */
    public boolean markSending(Job job, List<String> paperIds, Instant leaseUntil) {
        // The lease starts again here: the delivery gets a whole lease however long the job waited for a sender thread,
        // so that no other replica takes it for a dead sender's while it is still under way.
        return em.createNativeQuery("""
                        update digest_job set status = 'sending', lease_until = ?4, planned_papers = ?5
                        where subscription_id = ?1 and period = ?2 and status = 'claimed' and attempts = ?3""")
                .setParameter(1, job.subscriptionId()).setParameter(2, job.period()).setParameter(3, job.attempts())
                .setParameter(4, Timestamp.from(leaseUntil)).setParameter(5, String.join(",", paperIds)).executeUpdate() == 1;
    }

    /** Ends a claimed or sending job with a final outcome (skipped, cancelled, failed); a stale sender's claim changes nothing. */
    public void finish(Job job, DigestOutcome outcome, Integer papers, String error, Instant now) {
        if (outcome == DigestOutcome.SENT || outcome.status().equals("due")) {
            throw new IllegalArgumentException(outcome + " is not a final outcome without delivery");
        }
        em.createNativeQuery("""
                        update digest_job set status = ?3, papers = ?4, last_error = ?5, finished_at = ?6, lease_until = null
                        where subscription_id = ?1 and period = ?2 and status in ('claimed', 'sending') and attempts = ?7""")
                .setParameter(1, job.subscriptionId()).setParameter(2, job.period()).setParameter(3, outcome.status()).setParameter(4, papers)
                .setParameter(5, error).setParameter(6, Timestamp.from(now)).setParameter(7, job.attempts()).executeUpdate();
    }

    public void retryAt(Job job, Instant at, String error) {
        em.createNativeQuery("""
                        update digest_job set status = 'due', next_attempt_at = ?3, last_error = ?4, lease_until = null
                        where subscription_id = ?1 and period = ?2 and status = 'sending' and attempts = ?5""")
                .setParameter(1, job.subscriptionId()).setParameter(2, job.period()).setParameter(3, Timestamp.from(at))
                .setParameter(4, error).setParameter(5, job.attempts()).executeUpdate();
    }

    /**
     * Puts back a job that was not tried at all (its target was busy with other deliveries): due again at {@code at},
     * and the claim's attempt given back, since nothing was sent.
     */
    public void defer(Job job, Instant at) {
        em.createNativeQuery("""
                        update digest_job set status = 'due', next_attempt_at = ?3, attempts = greatest(attempts - 1, 0), lease_until = null
                        where subscription_id = ?1 and period = ?2 and status = 'claimed' and attempts = ?4""")
                .setParameter(1, job.subscriptionId()).setParameter(2, job.period()).setParameter(3, Timestamp.from(at))
                .setParameter(4, job.attempts()).executeUpdate();
    }

    /**
     * Finishes a delivered job and remembers what its subscription was sent, so no paper is ever sent to it twice,
     * and when. One statement (writable CTEs run as one) instead of three: each statement's round trip and planning
     * cost more than its writes. Paper ids are UUIDs, so a comma-separated list is unambiguous.
     */
    public void finishSent(Job job, List<String> paperIds, Instant sentAt, Instant finishedAt) {
        em.createNativeQuery("""
                        with sent as (
                            insert into digest_sent (subscription_id, paper_id, period, sent_at)
                            select ?1, p, ?2, ?4 from unnest(string_to_array(?3, ',')) as p
                            on conflict do nothing),
                        seen as (
                            update subscription set last_digest_at = greatest(last_digest_at, ?4), webhook_failures = 0,
                                webhook_failing_since = null
                            where id = ?1)
                        update digest_job set status = 'sent', papers = ?5, last_error = null, finished_at = ?6, lease_until = null,
                            planned_papers = null
                        where subscription_id = ?1 and period = ?2 and attempts = ?7""")
                .setParameter(1, job.subscriptionId()).setParameter(2, job.period()).setParameter(3, String.join(",", paperIds))
                .setParameter(4, Timestamp.from(sentAt)).setParameter(5, paperIds.size()).setParameter(6, Timestamp.from(finishedAt))
                .setParameter(7, job.attempts()).executeUpdate();
    }

    /** Cancels a subscription's digests not yet under way (it was unsubscribed). */
    public void cancelPending(UUID subscriptionId, Instant now) {
        em.createNativeQuery("update digest_job set status = 'cancelled', finished_at = ?2 where subscription_id = ?1 and status in ('due', 'claimed')")
                .setParameter(1, subscriptionId).setParameter(2, Timestamp.from(now)).executeUpdate();
    }

    /**
     * Whether this transaction may plan digests: a PostgreSQL advisory lock ("pwplan"), held until it ends, so one
     * replica plans at a time (planning is idempotent anyway; the lock only saves the others the work).
     */
    public boolean tryPlannerLock() {
        return Boolean.TRUE.equals(em.createNativeQuery("select pg_try_advisory_xact_lock(?1)").setParameter(1, PLANNER_LOCK).getSingleResult());
    }

    /**
     * A paper was absorbed into another: what subscribers were sent of it counts as sent of the survivor, so that a
     * merge never brings a paper to a subscriber a second time.
     */
    public void carrySentOver(String absorbed, String survivor) {
        em.createNativeQuery("""
                        insert into digest_sent (subscription_id, paper_id, period, sent_at)
                        select subscription_id, ?2, period, sent_at from digest_sent where paper_id = ?1
                        on conflict do nothing""").setParameter(1, absorbed).setParameter(2, survivor).executeUpdate();
        em.createNativeQuery("delete from digest_sent where paper_id = ?1").setParameter(1, absorbed).executeUpdate();
    }

    /** Jobs waiting to be sent (the queue depth). */
    public long depth() {
        return ((Number) em.createNativeQuery("select count(*) from digest_job where status in ('due', 'claimed', 'sending')")
                .getSingleResult()).longValue();
    }
}
