package io.paperwire.dedup.rest;

import io.paperwire.dedup.health.ConsolidationProgress;
import io.paperwire.dedup.health.ConsumerHealth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.health.Readiness;

/** {@code GET /api/v1/status}: is this replica consolidating, how much so far, and if it is stalled, on what. */
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    /** Counts are this replica's since it started ({@code since}); a stalled replica is retrying, not losing records. */
    public record ConsolidationStatus(Instant since, long sightingsConsolidated, long batches, Instant lastBatchAt,
            boolean stalled, String stalledReason, Instant stalledSince) {
    }

    private final ConsolidationProgress progress;
    private final ConsumerHealth health;

    public StatusResource(ConsolidationProgress progress, @Readiness ConsumerHealth health) {
        this.progress = progress;
        this.health = health;
    }

    @GET
    public ConsolidationStatus status() {
        String reason = health.stalledOn();
        return new ConsolidationStatus(progress.since(), progress.sightings(), progress.batches(), progress.lastBatchAt(),
                reason != null, reason, reason != null ? health.stalledSince() : null);
    }
}
