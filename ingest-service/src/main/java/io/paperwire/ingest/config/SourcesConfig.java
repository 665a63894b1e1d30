package io.paperwire.ingest.config;

import io.paperwire.events.PaperSighted;
import io.paperwire.ingest.parser.ArxivApiPagination;
import io.paperwire.ingest.parser.AtomParser;
import io.paperwire.ingest.parser.HfDailyPapersParser;
import io.paperwire.ingest.parser.ListingParser;
import io.paperwire.ingest.parser.ListingTextParser;
import io.paperwire.ingest.parser.OaiPmhPagination;
import io.paperwire.ingest.parser.OaiPmhParser;
import io.paperwire.ingest.parser.Pagination;
import io.paperwire.ingest.parser.RssParser;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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

    /** What a source serves, and so which parser reads its pages and how they follow each other. */
    enum SourceKind {
        HF_DAILY("application/json", HfDailyPapersParser::new, Pagination.NONE),
        ARXIV_API("application/atom+xml", () -> new AtomParser(PaperSighted.SourceKind.ARXIV_API), new ArxivApiPagination()),
        ARXIV_ATOM("application/atom+xml", () -> new AtomParser(PaperSighted.SourceKind.ARXIV_FEED), Pagination.NONE),
        ARXIV_RSS("application/rss+xml", RssParser::new, Pagination.NONE),
        ARXIV_OAI("application/xml", OaiPmhParser::new, new OaiPmhPagination()),
        LISTING_TEXT("text/plain", ListingTextParser::new, Pagination.NONE);

        /** The media type its documents are recorded as. */
        public final String mediaType;
        private final Supplier<ListingParser> parser;
        private final Pagination pagination;

        SourceKind(String mediaType, Supplier<ListingParser> parser, Pagination pagination) {
            this.mediaType = mediaType;
            this.parser = parser;
            this.pagination = pagination;
        }

        /** A parser for one of its documents. */
        public ListingParser parser() {
            return parser.get();
        }

        public Pagination pagination() {
            return pagination;
        }

        /** arXiv's announcement feeds: empty on Friday and Saturday by design. */
        public boolean isAnnouncementFeed() {
            return this == ARXIV_ATOM || this == ARXIV_RSS;
        }
    }
}
