package io.paperwire.dedup.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness is down while consolidation is stalled on an infrastructure failure (database, broker) and retrying. */
@Readiness
@ApplicationScoped
public class ConsumerHealth implements HealthCheck {

    private final AtomicReference<String> stalledOn = new AtomicReference<>();
    private volatile Instant since;

    public void stalled(String reason) {
        if (stalledOn.getAndSet(reason) == null) {
            since = Instant.now();
        }
    }

    public void recovered() {
        stalledOn.set(null);
    }

    /** Why consolidation is stalled, or null while it is not. */
    public String stalledOn() {
        return stalledOn.get();
    }

    /** Since when it is stalled; meaningful only while {@link #stalledOn()} is not null. */
    public Instant stalledSince() {
        return since;
    }

    @Override
    public HealthCheckResponse call() {
        String reason = stalledOn.get();
        return reason == null
                ? HealthCheckResponse.named("consolidation").up().build()
                : HealthCheckResponse.named("consolidation").down().withData("stalledSince", String.valueOf(since))
                        .withData("reason", reason).build();
    }
}
