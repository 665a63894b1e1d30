package io.paperwire.ingest.poller;

import io.paperwire.ingest.service.Completeness;
import java.util.List;
import java.time.Instant;

/** What {@code GET /api/v1/sources} shows of one source: its configuration and how polling it is going. */
public record SourceStatus(String name, String kind, String url, boolean enabled, String interval,
        Instant lastPollAt, Instant lastSuccessAt, Instant lastNewEntryAt, Long freshnessSeconds,
        long entriesSeen, long sightingsPublished, long rejects, int consecutiveFailures, String lastError,
        String warning, String cursor, String polledBy, LastHarvest lastHarvest, List<Completeness.Day> completeness) {

    /**
     * A paginated source's last completed harvest: the total its first page announced (OAI-PMH completeListSize, arXiv
     * API totalResults), the records walked to its end (read or refused), and how many are missing.
     */
    public record LastHarvest(int announced, long delivered, long missing, Instant at) {
    }

    /** The same status with its days' completeness (newest first). */
    public SourceStatus withCompleteness(List<Completeness.Day> days) {
        return new SourceStatus(name, kind, url, enabled, interval, lastPollAt, lastSuccessAt, lastNewEntryAt, freshnessSeconds,
                entriesSeen, sightingsPublished, rejects, consecutiveFailures, lastError, warning, cursor, polledBy, lastHarvest,
                List.copyOf(days));
    }
}
