package io.paperwire.dedup.rest;

import io.paperwire.dedup.health.ConsolidationProgress;
import io.paperwire.dedup.health.ConsumerHealth;
import io.paperwire.dedup.health.SearchProgress;
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
    public record ConsolidationStatus(Instant since, long sightingsConsolidated, long recordsPublished, long batches, Instant lastBatchAt,
            boolean stalled, String stalledReason, Instant stalledSince, SearchStatus search) {
    }

    /**
     * The search projection: states applied and documents made since start, and its lag (the age of the oldest state in
     * its last committed batch); {@code stalledReason} while it retries.
     */
    public record SearchStatus(long statesApplied, long documentsMade, long lagMillis, Instant lastBatchAt, String stalledReason) {
    }

    private final ConsolidationProgress progress;
    private final ConsumerHealth health;
    private final SearchProgress search;

    public StatusResource(ConsolidationProgress progress, @Readiness ConsumerHealth health, SearchProgress search) {
        this.progress = progress;
        this.health = health;
        this.search = search;
    }

    @GET
    public ConsolidationStatus status() {
        String reason = health.stalledOn();
        return new ConsolidationStatus(progress.since(), progress.sightings(), progress.recordsPublished(), progress.batches(), progress.lastBatchAt(),
                reason != null, reason, reason != null ? health.stalledSince() : null,
                new SearchStatus(search.states(), search.documents(), search.lagMillis(), search.lastBatchAt(), search.stalledOn()));
    }
}
