package io.paperwire.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Polled sources ({@code paperwire.sources.NAME.kind|url|interval|enabled}) and how polling behaves.
 * Example: {@code paperwire.sources.arxiv-cs-lg.kind=arxiv-rss}, {@code ...url=https://rss.arxiv.org/rss/cs.LG}.
 */
@ConfigMapping(prefix = "paperwire")
public interface SourcesConfig {

    Map<String, Source> sources();

    Poller poller();

    /** One source to poll. */
    interface Source {

        SourceKind kind();

        String url();

        @WithDefault("1h")
        Duration interval();

        @WithDefault("true")
        boolean enabled();

        /** At most this many pages per poll (arXiv API offsets, OAI-PMH resumption tokens); the rest next time. */
        @WithDefault("20")
        int maxPages();

        /**
         * Other hosts a redirect from this source may lead to (the source's own host always may), e.g.
         * {@code paperwire.sources.arxiv.redirect-hosts=export.arxiv.org}. Any other redirect fails the poll.
         */
        Optional<List<String>> redirectHosts();
    }

    /** How the poller fetches. */
    interface Poller {

        /** Whether the scheduler polls due sources on its own (tests and one-off runs trigger polls by API). */
        @WithDefault("true")
        boolean enabled();

        /** Minimum spacing between two requests to one host; arXiv asks for one request every 3 seconds. */
        @WithDefault("1s")
        Duration defaultHostInterval();

        /** Per-host spacing overrides, e.g. {@code paperwire.poller.host-interval."export.arxiv.org"=3s}. */
        Map<String, Duration> hostInterval();

        @WithDefault("60s")
        Duration requestTimeout();

        /** Attempts per request on 429, 5xx and time-outs (with exponential backoff and jitter). */
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("2s")
        Duration initialBackoff();

        @WithDefault("60s")
        Duration maxBackoff();

        /** How long a replica's claim on a source lasts; a crashed replica's claim lapses after this. */
        @WithDefault("10m")
        Duration lease();

        /** Redirects followed per request, each only to the source's own host or one of its redirect hosts. */
        @WithDefault("3")
        int maxRedirects();

        /** A User-Agent that says who polls, as arXiv asks of API clients. */
        @WithDefault("Paperwire/0.1 (+https://github.com/paperwire)")
        String userAgent();

        Optional<String> instanceId();
    }

    /** What a source serves, and so which parser reads it. */
    enum SourceKind {
        HF_DAILY("application/json"),
        ARXIV_API("application/atom+xml"),
        ARXIV_ATOM("application/atom+xml"),
        ARXIV_RSS("application/rss+xml"),
        ARXIV_OAI("application/xml"),
        LISTING_TEXT("text/plain");

        public final String mediaType;

        SourceKind(String mediaType) {
            this.mediaType = mediaType;
        }

        /** arXiv's announcement feeds: empty on Friday and Saturday by design. */
        public boolean isAnnouncementFeed() {
            return this == ARXIV_ATOM || this == ARXIV_RSS;
        }
    }
}
