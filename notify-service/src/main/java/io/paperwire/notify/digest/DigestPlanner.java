package io.paperwire.notify.digest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.repository.DigestJobs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The digest clock. Planning (queueing every due (subscription, period)) runs in one replica at a time, chosen by a
 * PostgreSQL advisory lock; it is idempotent anyway, the lock only saves the others the work. Sending runs in every
 * replica: the queue is claimed with SKIP LOCKED, so replicas share the fan-out.
 */
@ApplicationScoped
public class DigestPlanner {

    private final DigestJobs jobs;
    private final DigestSender sender;
    private final MeterRegistry metrics;
    private final Clock clock;

    public DigestPlanner(DigestJobs jobs, DigestSender sender, MeterRegistry metrics, Clock clock) {
        this.clock = clock;
        this.jobs = jobs;
        this.sender = sender;
        this.metrics = metrics;
        Gauge.builder("paperwire.notify.digest.queue.depth", this, p -> p.depth())
                .description("Digests queued and not yet finished").register(metrics);
    }

    @Scheduled(identity = "digest-planner", every = "${paperwire.notify.digest.plan-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPlan() {
        plan(false, null);
    }

    @Scheduled(identity = "digest-sender", every = "${paperwire.notify.digest.send-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSend() {
        sender.drain();
    }

    /**
     * Queues due digests; with {@code now}, every active subscription's current period whatever its send hour.
     * Returns how many were queued, or -1 if another replica is planning.
     */
    public int plan(boolean now, Frequency frequency) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!jobs.tryPlannerLock()) {
                return -1;
            }
            int queued = jobs.planDue(clock.instant(), now, frequency == null ? null : frequency.value());
            metrics.counter("paperwire.notify.digests.due").increment(queued);
            return queued;
        });
    }

    private double depth() {
        try {
            return QuarkusTransaction.requiringNew().call(jobs::depth);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
