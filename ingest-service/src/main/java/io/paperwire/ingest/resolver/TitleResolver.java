package io.paperwire.ingest.resolver;

import io.paperwire.events.PaperSighted;
import io.paperwire.events.SightingLimits;
import io.paperwire.ingest.config.IngestConfig;
import io.paperwire.ingest.config.SourcesConfig;
import io.paperwire.ingest.messaging.SightingPublisher;
import io.paperwire.ingest.messaging.SightingPublisher.OutgoingSighting;
import io.paperwire.ingest.parser.ParsedEntry;
import io.paperwire.ingest.poller.HttpFetcher;
import io.paperwire.ingest.repository.TitleResolutions;
import io.paperwire.ingest.repository.TitleResolutions.Resolution;
import io.paperwire.ingest.service.ListingService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Gives a paper seen only by its title an arXiv id: asks arXiv's API by title, accepts an answer only when its title has
 * the same fingerprint, and publishes it as a sighting of its own source ({@code arxiv-resolver}) carrying the arXiv
 * id, the title and what arXiv says of the paper. dedup then attaches the id by its usual identity rules, and the
 * sighting stays in the paper's evidence like any other. One title per turn, claimed in the database, so replicas
 * share the queue; each answer is kept (the cache), and a title arXiv does not know is asked again a few times.
 */
@ApplicationScoped
public class TitleResolver {

    private static final Logger LOG = Logger.getLogger(TitleResolver.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);
    /** Failed requests in a row (backing off from 10 minutes to about 10 hours) before a title is given up. */
    static final int MAX_FAILURES = 12;

    /** What one turn did. */
    public enum Outcome {
        NOTHING_DUE, RESOLVED, UNMATCHED, AMBIGUOUS, FAILED
    }

    private final TitleResolutions queue;
    private final ArxivTitleSearch arxiv;
    private final SightingPublisher publisher;
    private final IngestConfig config;
    private final MeterRegistry metrics;
    private final Clock clock;
    /**
     * How long a claimed title is held: longer than the fetcher's tries, pauses and the publish can take, so no other
     * replica asks about it meanwhile (and an answer written late is refused by the claim check anyway).
     */
    private final Duration hold;

    public TitleResolver(TitleResolutions queue, ArxivTitleSearch arxiv, SightingPublisher publisher, IngestConfig config,
            SourcesConfig sources, MeterRegistry metrics, Clock clock) {
        SourcesConfig.Poller p = sources.poller();
        this.hold = p.requestTimeout().plus(p.maxBackoff()).multipliedBy(p.maxAttempts()).plus(PUBLISH_TIMEOUT).plusMinutes(1);
        this.queue = queue;
        this.arxiv = arxiv;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(every = "${paperwire.ingest.resolver.every:3s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() throws InterruptedException {
        if (!config.resolver().enabled()) {
            return;
        }
        try {
            resolveNext();
        } catch (RuntimeException e) {
            LOG.errorf(e, "resolving a title failed unexpectedly");
        }
    }

    /** Asks about the title due longest, if any. */
    public Outcome resolveNext() throws InterruptedException {
        Instant now = clock.instant();
        Optional<Resolution> due = queue.claimDue(now, now.plus(hold));
        if (due.isEmpty()) {
            return Outcome.NOTHING_DUE;
        }
        Resolution r = due.get();
        if (ArxivTitleSearch.words(r.title()).isBlank()) {
            queue.settled(r, "given-up", "the title has no words to ask arXiv about", clock.instant());
            return count(Outcome.UNMATCHED);
        }
        List<ParsedEntry> answers;
        try {
            answers = arxiv.search(r.title());
        } catch (HttpFetcher.FetchException e) {
            // Backs off from retry-after-failure, doubling, and gives up after MAX_FAILURES in a row.
            Duration wait = config.resolver().retryAfterFailure().multipliedBy(1L << Math.min(r.failures(), 6));
            boolean giveUp = r.failures() + 1 >= MAX_FAILURES;
            LOG.infof("asking arXiv about a title failed (%d in a row), %s: %s", r.failures() + 1, giveUp ? "giving up" : "asking again in "
                    + wait, e.getMessage());
            queue.failed(r, e.getMessage(), giveUp, clock.instant().plus(wait), clock.instant());
            return count(Outcome.FAILED);
        }
        // Only the same title (its fingerprint: case, punctuation and spacing aside) identifies the paper; a search
        // hit with other words around the phrase is another paper. And only one paper: when several arXiv papers share
        // the title, taking any one of them could merge unrelated papers.
        List<PaperSighted> same = answers.stream().filter(e -> e.titleFingerprint().equals(r.fingerprint()))
                .map(e -> sighting(e, clock.instant())).filter(s -> s.arxivId() != null && SightingLimits.violation(s) == null).toList();
        long ids = same.stream().map(PaperSighted::arxivId).distinct().count();
        if (ids > 1) {
            queue.settled(r, "ambiguous", ids + " arXiv papers have this title", clock.instant());
            return count(Outcome.AMBIGUOUS);
        }
        if (same.isEmpty()) {
            boolean giveUp = r.attempts() + 1 >= config.resolver().maxAttempts();
            queue.unmatched(r, giveUp, clock.instant().plus(config.resolver().recheckAfter()), clock.instant());
            return count(Outcome.UNMATCHED);
        }
        PaperSighted s = same.get(0);
        // The same title resolved to the same id is the same event: a resolver that dies after publishing and before
        // recording publishes it again under this id, and dedup counts it once.
        String eventId = UUID.nameUUIDFromBytes(("resolver\n" + r.fingerprint() + "\n" + s.arxivId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        publisher.publishAll(List.of(new OutgoingSighting(eventId, "/paperwire/ingest/" + s.source(), s)), PUBLISH_TIMEOUT);
        if (!queue.resolved(r, s.arxivId(), clock.instant())) {
            LOG.infof("a title was resolved to %s after its claim had lapsed; the answer was published, its record left as it is",
                    s.arxivId());
        }
        return count(Outcome.RESOLVED);
    }

    private Outcome count(Outcome o) {
        metrics.counter("paperwire.ingest.resolver.titles", "outcome", o.name().toLowerCase(java.util.Locale.ROOT)).increment();
        return o;
    }

    private PaperSighted sighting(ParsedEntry e, Instant now) {
        return ListingService.toEvent(config.resolver().source(), PaperSighted.SourceKind.ARXIV_API, now,
                LocalDate.ofInstant(now, ZoneOffset.UTC), e);
    }
}
