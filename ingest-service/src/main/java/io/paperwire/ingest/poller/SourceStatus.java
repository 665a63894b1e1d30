package io.paperwire.ingest.poller;

import java.time.Instant;

/** What {@code GET /api/v1/sources} shows of one source: its configuration and how polling it is going. */
public record SourceStatus(String name, String kind, String url, boolean enabled, String interval,
        Instant lastPollAt, Instant lastSuccessAt, Instant lastNewEntryAt, Long freshnessSeconds,
        long entriesSeen, long sightingsPublished, long rejects, int consecutiveFailures, String lastError,
        String warning, String cursor, String polledBy) {
}
