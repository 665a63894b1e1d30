package io.paperwire.ingest.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** ingest-service's own settings. */
@ConfigMapping(prefix = "paperwire.ingest")
public interface IngestConfig {

    /** Listing documents larger than this are refused with 413 (the HTTP layer's hard cap is set above it). */
    @WithDefault("10M")
    MemorySize maxDocumentSize();

    Resolver resolver();

    Completeness completeness();

    /**
     * Completeness per source and listing day: what the source's documents announced, what ingest published, and what
     * dedup consolidated (asked of its papers API).
     */
    interface Completeness {

        /** dedup's base URL ({@code PAPERWIRE_CATALOGUE_URL}); without it the report leaves consolidation out. */
        Optional<String> catalogueUrl();

        /**
         * How often the report (and the shortfall gauges) are recomputed. Each time dedup counts the distinct papers per
         * source and day over the last days' sightings: at a million sightings that costs PostgreSQL about 2 s, which
         * every minute was a few per cent of a core (docs/benchmarks.md, consolidate). Days settle after an hour and the
         * alert waits 30 minutes, so every 5 minutes loses nothing.
         */
        @WithDefault("5m")
        String refresh();

        /** A day counts as short only once its last document is this old: consolidation is seconds behind, not hours. */
        @WithDefault("PT1H")
        Duration settle();

        /** How many days back the report goes (today included). */
        @WithDefault("7")
        int days();

        /** How long dedup may take to answer. */
        @WithDefault("PT2S")
        Duration catalogueTimeout();
    }

    /**
     * Resolving titles to arXiv ids: a paper seen only by its title is looked up by title in arXiv's API, and a match is
     * published as a sighting of the resolver's own source. Its requests share the poller's per-host pace (arXiv asks
     * for one request every three seconds).
     */
    interface Resolver {

        /** Whether the scheduler works the queue; titles are queued either way. */
        @WithDefault("true")
        boolean enabled();

        /** arXiv's API (its {@code /api/query} is asked). */
        @WithDefault("https://export.arxiv.org")
        String baseUrl();

        /** The source name of the sightings it publishes. */
        @WithDefault("arxiv-resolver")
        String source();

        /** How often the scheduler asks about the next due title. */
        @WithDefault("3s")
        String every();

        /** A title arXiv did not know is asked about again after this long (it may be on arXiv by then) ... */
        @WithDefault("P7D")
        Duration recheckAfter();

        /** ... at most this many times in all. */
        @WithDefault("4")
        int maxAttempts();

        /** After a failed request (arXiv down, throttling without Retry-After), the title waits this long. */
        @WithDefault("PT10M")
        Duration retryAfterFailure();
    }
}
