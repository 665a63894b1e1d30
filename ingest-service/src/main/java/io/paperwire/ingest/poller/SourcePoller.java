package io.paperwire.ingest.poller;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.paperwire.ingest.config.SourcesConfig;
import io.paperwire.ingest.config.SourcesConfig.SourceKind;
import io.paperwire.ingest.parser.OaiPmhPagination;
import io.paperwire.ingest.parser.Pagination;
import io.paperwire.ingest.repository.SourceState;
import io.paperwire.ingest.repository.SourceStateRepository;
import io.paperwire.ingest.service.ListingRefusedException;
import io.paperwire.ingest.service.ListingService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Polls one configured source: claims it (one replica at a time), fetches page after page with conditional
 * GET, hands each document to {@link ListingService} exactly as a POST would, and records progress after
 * every page, so a restart resumes at the page where the last run stopped.
 */
@ApplicationScoped
public class SourcePoller {

    private static final Logger LOG = Logger.getLogger(SourcePoller.class);

    private final SourcesConfig config;
    private final HttpFetcher fetcher;
    private final ListingService listings;
    private final SourceStateRepository states;
    private final MeterRegistry metrics;
    private final String owner;
    private final Clock clock;
    private final Tracer tracer;
    private final Map<String, Instant> freshness = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();

    public SourcePoller(SourcesConfig config, HttpFetcher fetcher, ListingService listings, SourceStateRepository states,
            MeterRegistry metrics, Clock clock, Tracer tracer) {
        this.tracer = tracer;
        this.clock = clock;
        this.config = config;
        this.fetcher = fetcher;
        this.listings = listings;
        this.states = states;
        this.metrics = metrics;
        this.owner = config.poller().instanceId()
                .orElse(ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
        config.sources().keySet().forEach(this::registerFreshnessGauge);
    }

    public Map<String, SourcesConfig.Source> sources() {
        return config.sources();
    }

    /** Polls {@code name} now, unless another replica holds it; returns the source's status afterwards. */
    public SourceStatus poll(String name) throws InterruptedException {
        SourcesConfig.Source source = source(name);
        Instant now = clock.instant();
        if (!states.tryLease(name, owner, now, now.plus(config.poller().lease()))) {
            LOG.debugf("source %s is being polled by another replica", name);
            return status(name);
        }
        Timer.Sample sample = Timer.start(metrics);
        // A poll is one trace, as a posted document is: its pages' sightings go out under this span.
        Span span = tracer.spanBuilder("poll " + name).setSpanKind(SpanKind.CLIENT).setAttribute("paperwire.source", name).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            pollPages(name, source);
        } finally {
            span.end();
            sample.stop(metrics.timer("paperwire.ingest.poll", "source", name));
            states.release(name, owner);
        }
        return status(name);
    }

    private void pollPages(String name, SourcesConfig.Source source) throws InterruptedException {
        SourceState state = QuarkusTransaction.requiringNew().call(() -> states.findById(name));
        Pagination pagination = source.kind().pagination();
        URI configured = URI.create(source.url());
        URI next = pagination.start(configured, state.cursor);
        boolean fromTop = state.cursor == null;
        long published = 0;
        long entries = 0;
        long rejected = 0;
        boolean notModified = false;
        String error = null;
        String newEtag = state.etag;
        String newLastModified = state.lastModified;
        int pages = 0;
        try {
            while (next != null && pages < source.maxPages()) {
                HttpFetcher.Fetched f = fetcher.get(next, fromTop && pages == 0 ? state.etag : null,
                        fromTop && pages == 0 ? state.lastModified : null, source.redirectHosts().orElse(List.of()));
                if (f.notModified()) {
                    notModified = true;
                    break;
                }
                if (fromTop && pages == 0) {
                    newEtag = f.etag();
                    newLastModified = f.lastModified();
                }
                pages++;
                ListingService.IngestOutcome outcome = listings.ingestDocument(name, source.kind().parser(), source.kind().mediaType,
                        null, f.body());
                if (!outcome.result().duplicate()) {
                    published += outcome.result().accepted();
                    rejected += outcome.result().rejectedCount();
                }
                entries += outcome.entries();
                next = pagination.next(configured, outcome.paging(), outcome.entries());
                // The cursor and the harvest's count move together, page by page: a poll that dies (Kafka down, the
                // pod stopped) leaves them agreeing, so a resumed harvest neither skips nor repeats pages in its count.
                saveProgress(name, next == null ? null : pagination.cursorOf(next), fromTop && pages == 1, outcome.paging().totalResults(),
                        outcome.entries(), holdsToTotal(pagination));
            }
        } catch (HttpFetcher.FetchException e) {
            error = e.getMessage();
        } catch (ListingRefusedException e) {
            error = "the source served a document that cannot be used: " + e.getMessage();
        }
        Instant now = clock.instant();
        boolean harvestEnded = error == null && !notModified && pages > 0 && next == null && holdsToTotal(pagination);
        record(name, now, published, entries, rejected, error, newEtag, newLastModified,
                warning(source, now, entries, notModified, error), harvestEnded);
        if (error != null) {
            LOG.warnf("polling %s failed: %s", name, error);
        }
    }

    /**
     * Whether a harvest of this pagination is held to the total its first page states: OAI-PMH's completeListSize
     * belongs to one harvest whose resumption tokens walk a fixed list. An arXiv API query's totalResults counts every
     * paper ever matching, and its offsets shift as new papers arrive, so it says nothing about what one walk missed.
     */
    private static boolean holdsToTotal(Pagination pagination) {
        return pagination instanceof OaiPmhPagination;
    }

    private void saveProgress(String name, String cursor, boolean firstPageOfHarvest, Integer total, int pageEntries, boolean counted) {
        QuarkusTransaction.requiringNew().run(() -> {
            SourceState s = states.findById(name);
            s.cursor = cursor;
            if (counted && firstPageOfHarvest) {
                s.harvestAnnounced = total;
                s.harvestWalked = pageEntries;
            } else if (counted) {
                s.harvestWalked += pageEntries;
            }
        });
    }

    private void record(String name, Instant now, long published, long entries, long rejected, String error, String etag,
            String lastModified, String warning, boolean harvestEnded) {
        QuarkusTransaction.requiringNew().run(() -> {
            SourceState s = states.findById(name);
            // An OAI-PMH harvest that reached its end having walked fewer records than its first page announced lost
            // some on the way (pages the source skipped or truncated): completeness at the harvest stage. One whose
            // first page stated no total (a single page) has nothing to be held to, and clears the last result.
            if (harvestEnded) {
                s.lastHarvestAnnounced = s.harvestAnnounced;
                s.lastHarvestWalked = s.harvestAnnounced == null ? null : s.harvestWalked;
                s.lastHarvestAt = now;
                s.harvestAnnounced = null;
                s.harvestWalked = 0;
            }
            s.lastPollAt = now;
            s.entriesSeen += entries;
            s.sightingsPublished += published;
            s.rejects += rejected;
            s.warning = warning;
            if (error == null) {
                s.lastSuccessAt = now;
                lastSuccess.put(name, now);
                s.consecutiveFailures = 0;
                s.lastError = null;
                s.etag = etag;
                s.lastModified = lastModified;
            } else {
                s.consecutiveFailures++;
                s.lastError = error;
            }
            if (published > 0) {
                s.lastNewEntryAt = now;
            }
            if (s.lastNewEntryAt != null) {
                freshness.put(name, s.lastNewEntryAt);
            }
        });
    }

    static String warning(SourcesConfig.Source source, Instant now, long entries, boolean notModified, String error) {
        if (error == null && !notModified && entries == 0 && source.kind().isAnnouncementFeed()
                && AnnouncementCalendar.isAnnouncementDay(now)) {
            return "empty feed on an arXiv announcement day: the source may have gone silent";
        }
        return null;
    }

    public SourceStatus status(String name) {
        SourcesConfig.Source source = source(name);
        SourceState s = QuarkusTransaction.requiringNew().call(() -> states.findById(name));
        Instant now = clock.instant();
        if (s == null) {
            return new SourceStatus(name, kebab(source.kind()), source.url(), source.enabled(), source.interval().toString(),
                    null, null, null, null, 0, 0, 0, 0, null, null, null, null, null, List.of());
        }
        boolean leased = s.leaseOwner != null && s.leaseUntil != null && s.leaseUntil.isAfter(now);
        return new SourceStatus(name, kebab(source.kind()), source.url(), source.enabled(), source.interval().toString(),
                s.lastPollAt, s.lastSuccessAt, s.lastNewEntryAt,
                s.lastNewEntryAt == null ? null : Duration.between(s.lastNewEntryAt, now).toSeconds(),
                s.entriesSeen, s.sightingsPublished, s.rejects, s.consecutiveFailures, s.lastError, s.warning, s.cursor,
                leased ? s.leaseOwner : null, s.lastHarvestAnnounced == null ? null : new SourceStatus.LastHarvest(s.lastHarvestAnnounced,
                        s.lastHarvestWalked, Math.max(0, s.lastHarvestAnnounced - s.lastHarvestWalked), s.lastHarvestAt), List.of());
    }

    /** True when the source has never been polled or its interval has passed since the last poll. */
    public boolean isDue(String name, Instant now) {
        SourceState s = QuarkusTransaction.requiringNew().call(() -> states.findById(name));
        return s == null || s.lastPollAt == null || !s.lastPollAt.plus(source(name).interval()).isAfter(now);
    }

    private SourcesConfig.Source source(String name) {
        SourcesConfig.Source source = config.sources().get(name);
        if (source == null) {
            throw new UnknownSourceException("No source named '" + name + "' is configured (paperwire.sources." + name + ".url).");
        }
        return source;
    }

    /**
     * Per source: how long since it last brought a new entry, how long since it was last polled successfully, and
     * its schedule, so an alert can say "silent past its schedule" (no success for several intervals).
     */
    private void registerFreshnessGauge(String name) {
        var tags = List.of(Tag.of("source", name));
        metrics.gauge("paperwire.ingest.source.freshness.seconds", tags,
                freshness, m -> m.containsKey(name) ? Duration.between(m.get(name), clock.instant()).toSeconds() : Double.NaN);
        metrics.gauge("paperwire.ingest.source.success.age.seconds", tags,
                lastSuccess, m -> m.containsKey(name) ? Duration.between(m.get(name), clock.instant()).toSeconds() : Double.NaN);
        metrics.gauge("paperwire.ingest.source.interval.seconds", tags, config.sources().get(name), s -> s.interval().toSeconds());
    }

    static String kebab(SourceKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
