package io.paperwire.notify.digest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.paperwire.notify.config.NotifyConfig;
import io.paperwire.notify.mail.MailComposer;
import io.paperwire.notify.mail.MailComposer.DigestPaper;
import io.paperwire.notify.mail.SmtpMailer;
import io.paperwire.notify.model.DigestOutcome;
import io.paperwire.notify.model.SubscriptionKind;
import io.paperwire.notify.model.SubscriptionStatus;
import io.paperwire.notify.repository.DigestCandidates;
import io.paperwire.notify.repository.DigestCandidates.Candidate;
import io.paperwire.notify.repository.DigestJobs;
import io.paperwire.notify.repository.DigestJobs.Job;
import io.paperwire.notify.repository.SubscriptionEntity;
import io.paperwire.notify.links.LinkSigner;
import io.paperwire.notify.repository.SubscriptionRepository;
import io.paperwire.notify.webhook.HostSlots;
import io.paperwire.notify.webhook.WebhookClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Works the digest queue: claims due jobs, composes each subscription's digest and delivers it by mail or webhook,
 * then records what was sent. While the subscription is active each (subscription, period) is delivered at least
 * once: a failed delivery goes back to the queue with backoff, a sender that dies before delivery leaves a 'claimed'
 * job whose lease expires and is claimed again, and one that dies during delivery ('sending', committed right before)
 * leaves an unknown outcome that is sent again after the lease. Every copy of a digest carries the same Message-ID
 * (webhooks: the same delivery id), so a receiver that got both can tell; copies happen only where a crash or a
 * time-out left the outcome unknown.
 */
@ApplicationScoped
public class DigestSender {

    private static final Logger LOG = Logger.getLogger(DigestSender.class);

    /** What one pass over the queue did. */
    public record Pass(int claimed, int sent, int skipped, int failed, int retried, int resent) {
    }

    private final DigestJobs jobs;
    private final DigestCandidates candidates;
    private final MailComposer mails;
    private final SmtpMailer mailer;
    private final WebhookClient webhooks;
    private final LinkSigner signer;
    private final NotifyConfig config;
    private final MeterRegistry metrics;
    private final Timer webhookLatency;
    private final ObjectMapper json;
    private final SubscriptionRepository subscriptions;
    private final Clock clock;
    private final ExecutorService pool;
    private final HostSlots hostSlots;
    private final DigestPapers shown;

    public DigestSender(DigestJobs jobs, DigestCandidates candidates, MailComposer mails, SmtpMailer mailer, WebhookClient webhooks,
            LinkSigner signer, NotifyConfig config, MeterRegistry metrics, ObjectMapper json, SubscriptionRepository subscriptions,
            Clock clock, DigestPapers shown) {
        this.shown = shown;
        this.clock = clock;
        this.subscriptions = subscriptions;
        this.signer = signer;
        this.hostSlots = new HostSlots(config.webhook().perHostConcurrency());
        this.jobs = jobs;
        this.candidates = candidates;
        this.mails = mails;
        this.mailer = mailer;
        this.webhooks = webhooks;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(config.digest().parallelism(), r -> {
            Thread t = new Thread(r, "digest-sender-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.webhookLatency = Timer.builder("paperwire.notify.webhook.latency").description("Webhook delivery round trips")
                .publishPercentileHistogram().register(metrics);
        // Registered up front, so dashboards and alerts see a zero rather than no series at all.
        for (SubscriptionKind channel : SubscriptionKind.values()) {
            for (String counter : new String[] {"paperwire.notify.digests.sent", "paperwire.notify.digests.failed",
                    "paperwire.notify.digests.retried"}) {
                metrics.counter(counter, "channel", channel.value());
            }
        }
        metrics.counter("paperwire.notify.digests.skipped");
        metrics.counter("paperwire.notify.digests.resent");
        metrics.counter("paperwire.notify.digests.due");
    }

    /** Claims and sends until the queue holds nothing due; returns what it did. */
    public Pass drain() {
        int claimed = 0, sent = 0, skipped = 0, failed = 0, retried = 0, resent = 0;
        resent += QuarkusTransaction.requiringNew().call(() -> jobs.recoverExpired(clock.instant(), config.digest().maxAttempts()));
        metrics.counter("paperwire.notify.digests.resent").increment(resent);
        while (true) {
            Instant now = clock.instant();
            List<Job> batch = QuarkusTransaction.requiringNew()
                    .call(() -> jobs.claim(now, now.plus(config.digest().lease()), config.digest().claimSize()));
            if (batch.isEmpty()) {
                return new Pass(claimed, sent, skipped, failed, retried, resent);
            }
            claimed += batch.size();
            // Jobs are independent (each has its own transactions and its own lease), so a claimed batch is
            // delivered in parallel; the pass waits for the whole batch before claiming the next.
            List<Future<DigestOutcome>> outcomes = new ArrayList<>(batch.size());
            for (Job job : batch) {
                outcomes.add(pool.submit(() -> send(job)));
            }
            RuntimeException unexpected = null;
            // Every delivery is bounded by its own deadlines (the webhook's, the mail server's); this one is the
            // backstop, so that no peer can hold a pass for longer than a job's lease.
            long deadline = System.nanoTime() + config.digest().lease().toNanos();
            for (Future<DigestOutcome> outcome : outcomes) {
                try {
                    switch (outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        case SENT -> sent++;
                        case SKIPPED, CANCELLED -> skipped++;
                        case FAILED -> failed++;
                        case RETRY, DEFERRED -> retried++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while delivering digests", e);
                } catch (TimeoutException e) {
                    // The pass stops waiting. A delivery under way is not interrupted (an interrupt would turn a
                    // delivery that may have arrived into a retry): it records its own outcome when its own deadline
                    // ends it. One still queued is dropped; its claim lapses and the job is claimed again, and should
                    // it run after all, its stale claim changes nothing (DigestJobs matches the claim's attempt).
                    outcome.cancel(false);
                    retried++;
                    LOG.warnf("a digest delivery outlived the job lease (%s); the pass goes on without it", config.digest().lease());
                } catch (ExecutionException e) {
                    // Not a delivery failure (those are statuses) but a bug or a lost database: the job stays as it
                    // was (claimed: taken again after its lease; sending: sent again after its lease), and the pass fails once the
                    // rest of the batch is done, as it did when deliveries ran one by one.
                    unexpected = unexpected != null ? unexpected
                            : e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
            if (unexpected != null) {
                throw unexpected;
            }
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** What the first transaction of a send decided: deliver these papers, or the job is already finished. */
    private record Prepared(SubscriptionEntity subscription, List<Candidate> papers, DigestOutcome finished) {
    }

    /**
     * Sends one job; returns what became of it. Two transactions around the delivery:
     * the first reads the subscription and its papers and marks the job 'sending' (committed before anything leaves),
     * the second records what was sent. Transactions, not SQL, were most of a digest's CPU when it had five.
     */
    DigestOutcome send(Job job) {
        Instant now = clock.instant();
        // A webhook host takes a few deliveries at a time: one slow receiver holds only its own slots, never the
        // sender threads every other subscriber's digest needs. The slot is taken before the job is marked 'sending',
        // so a job whose host is busy goes back untried ('claimed' to 'due') and it never costs a re-send.
        String[] held = new String[1];
        Prepared prepared = null;
        try {
            prepared = QuarkusTransaction.requiringNew().call(() -> {
                SubscriptionEntity s = subscriptions.findById(job.subscriptionId());
                if (s == null || s.status != SubscriptionStatus.ACTIVE) {
                    jobs.finish(job, DigestOutcome.CANCELLED, null, "the subscription is not active", clock.instant());
                    return new Prepared(s, List.of(), DigestOutcome.CANCELLED);
                }
                Instant since = s.lastDigestAt != null ? s.lastDigestAt
                        : (s.confirmedAt != null ? s.confirmedAt : s.createdAt).minus(s.frequency.period());
                // An earlier attempt whose outcome is unknown (or that failed) marked its papers: every copy of a digest
                // carries the same papers under the same Message-ID, so a receiver may keep any one of them.
                boolean planned = !job.plannedPapers().isEmpty();
                List<Candidate> papers = planned ? candidates.byIds(job.plannedPapers(), s.view().filter())
                        : candidates.select(s.id, since, s.view().filter(), s.maxPapers);
                if (!planned && papers.isEmpty() && config.digest().nothingNew() == NotifyConfig.NothingNew.SKIP) {
                    jobs.finish(job, DigestOutcome.SKIPPED, 0, null, clock.instant());
                    return new Prepared(s, papers, DigestOutcome.SKIPPED);
                }
                String host = s.kind == SubscriptionKind.WEBHOOK ? hostOf(s.webhookUrl) : null;
                if (host != null && held[0] == null) {
                    if (!hostSlots.tryAcquire(host)) {
                        jobs.defer(job, clock.instant().plus(config.webhook().firstRetry()));
                        return new Prepared(s, papers, DigestOutcome.DEFERRED);
                    }
                    held[0] = host;
                }
                if (!jobs.markSending(job, papers.stream().map(Candidate::paperId).toList(), clock.instant().plus(config.digest().lease()))) {
                    return new Prepared(s, papers, DigestOutcome.CANCELLED); // unsubscribed meanwhile: the job was cancelled under us
                }
                return new Prepared(s, papers, null);
            });
        } finally {
            if (prepared == null || prepared.finished() != null) {
                release(held[0]); // failed (any Throwable) or finished without a delivery
            }
        }
        if (prepared.finished() != null) {
            if (prepared.finished() == DigestOutcome.SKIPPED) {
                metrics.counter("paperwire.notify.digests.skipped").increment();
            } else if (prepared.finished() == DigestOutcome.DEFERRED) {
                metrics.counter("paperwire.notify.webhooks.deferred").increment();
            }
            return prepared.finished();
        }
        SubscriptionEntity s = prepared.subscription();
        List<Candidate> papers = prepared.papers();
        try {
            deliver(s, job, papers);
        } catch (DeliveryFailure e) {
            return failed(s, job, e);
        } finally {
            release(held[0]);
        }
        QuarkusTransaction.requiringNew().run(() -> jobs.finishSent(job, papers.stream().map(Candidate::paperId).toList(), now, clock.instant()));
        metrics.counter("paperwire.notify.digests.sent", "channel", s.kind.value()).increment();
        return DigestOutcome.SENT;
    }

    private void release(String host) {
        if (host != null) {
            hostSlots.release(host);
        }
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? url : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /**
     * Counts a digest the webhook failed for good; after {@code pause-after-failures} in a row spanning at least
     * {@code pause-after}, the subscription is switched off ('failed', with the reason) until its owner resumes it.
     */
    private void webhookFailedForGood(SubscriptionEntity s, String reason, Instant now) {
        s.webhookFailures++;
        if (s.webhookFailingSince == null) {
            s.webhookFailingSince = now;
        }
        NotifyConfig.Webhook w = config.webhook();
        if (s.status == SubscriptionStatus.ACTIVE && s.webhookFailures >= w.pauseAfterFailures()
                && !s.webhookFailingSince.plus(w.pauseAfter()).isAfter(now)) {
            s.status = SubscriptionStatus.FAILED;
            s.statusReason = "switched off after " + s.webhookFailures + " digests in a row failed since " + s.webhookFailingSince
                    + "; last: " + reason;
            metrics.counter("paperwire.notify.webhooks.switched.off").increment();
            LOG.warnf("webhook subscription %s switched off: %s", s.id, s.statusReason);
        }
    }

    private void deliver(SubscriptionEntity s, Job job, List<Candidate> papers) throws DeliveryFailure {
        if (s.kind == SubscriptionKind.EMAIL) {
            try {
                mailer.send(mails.digest(s.id, s.email, s.frequency, job.period(), shown.forMail(papers)));
            } catch (SmtpMailer.MailFailure e) {
                throw new DeliveryFailure(e.getMessage(), e.permanent());
            }
            return;
        }
        WebhookDigest body = new WebhookDigest("digest", s.id.toString(), job.period(), shown.forWebhook(papers));
        Timer.Sample t = Timer.start(metrics);
        try {
            WebhookClient.Answer answer = webhooks.post(signer.webhookSecret(s.id, s.webhookSecretNonce), s.webhookUrl, "digest",
                    s.id + "/" + job.period(), json.writeValueAsString(body));
            if (!answer.ok()) {
                // 4xx other than 408/429 will not get better by retrying; everything else might.
                boolean permanent = answer.status() >= 400 && answer.status() < 500 && answer.status() != 408 && answer.status() != 429;
                throw new DeliveryFailure("the webhook answered HTTP " + answer.status(), permanent);
            }
        } catch (DeliveryFailure e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted", false);
        } catch (Exception e) {
            // Some network failures carry no message (a refused connection): say at least what they are.
            throw new DeliveryFailure(e.getMessage() == null ? e.toString() : e.getMessage(), false);
        } finally {
            t.stop(webhookLatency);
        }
    }

    private DigestOutcome failed(SubscriptionEntity s, Job job, DeliveryFailure e) {
        boolean email = s.kind == SubscriptionKind.EMAIL;
        int maxAttempts = email ? config.digest().maxAttempts() : config.webhook().maxAttempts();
        Duration first = email ? config.digest().firstRetry() : config.webhook().firstRetry();
        if (e.permanent || job.attempts() >= maxAttempts) {
            LOG.warnf("digest %s/%s failed for good after %d attempts: %s", s.id, job.period(), job.attempts(), e.getMessage());
            QuarkusTransaction.requiringNew().run(() -> {
                Instant now = clock.instant();
                jobs.finish(job, DigestOutcome.FAILED, null, e.getMessage(), now);
                SubscriptionEntity managed = subscriptions.findById(s.id);
                if (e.permanent && email) {
                    managed.status = SubscriptionStatus.BOUNCED;
                    managed.statusReason = e.getMessage();
                } else if (!email) {
                    webhookFailedForGood(managed, e.getMessage(), now);
                }
            });
            metrics.counter("paperwire.notify.digests.failed", "channel", s.kind.value()).increment();
            return DigestOutcome.FAILED;
        }
        Duration backoff = first.multipliedBy(1L << Math.min(job.attempts() - 1, 10));
        // Logged because the row's last_error is cleared once a later attempt succeeds.
        LOG.infof("digest %s/%s attempt %d failed, retrying in %s: %s", s.id, job.period(), job.attempts(), backoff, e.getMessage());
        QuarkusTransaction.requiringNew().run(() -> jobs.retryAt(job, clock.instant().plus(backoff), e.getMessage()));
        metrics.counter("paperwire.notify.digests.retried", "channel", s.kind.value()).increment();
        return DigestOutcome.RETRY;
    }

    /** The body of a digest delivered to a webhook (DESIGN.md and the webhook docs show it). */
    record WebhookDigest(String type, String subscriptionId, String period, List<DigestPaper> papers) {
    }

    /** A delivery that did not happen; permanent when retrying cannot help (SMTP 5xx, webhook 4xx). */
    static final class DeliveryFailure extends Exception {
        final boolean permanent;

        DeliveryFailure(String message, boolean permanent) {
            super(message, null, false, false);
            this.permanent = permanent;
        }
    }
}
