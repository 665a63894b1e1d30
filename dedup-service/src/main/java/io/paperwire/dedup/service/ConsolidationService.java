package io.paperwire.dedup.service;

import io.paperwire.dedup.repository.PaperEntity;
import io.paperwire.dedup.repository.PaperRepository;
import io.paperwire.dedup.repository.SightingEntity;
import io.paperwire.dedup.repository.SightingRepository;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperConsolidated.ChangeType;
import io.paperwire.events.PaperSighted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Folds one sighting into the catalogue in one transaction and returns the paper's state afterwards.
 * A sighting whose event id was already folded changes nothing and returns the current state, so that the
 * caller can (re)send it: that is what makes a crash between commit and send harmless.
 */
@ApplicationScoped
public class ConsolidationService {

    private final PaperRepository papers;
    private final SightingRepository sightings;
    private final io.micrometer.core.instrument.MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();

    public ConsolidationService(PaperRepository papers, SightingRepository sightings,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        this.papers = papers;
        this.sightings = sightings;
        this.metrics = metrics;
    }

    @Transactional
    public PaperConsolidated apply(String eventId, PaperSighted s) {
        SightingEntity seen = sightings.findById(eventId);
        if (seen != null) {
            metrics.counter("paperwire.dedup.duplicates.dropped").increment();
            PaperEntity paper = papers.findById(seen.paperId);
            return PaperMapper.toEvent(paper, papers.sourcesOf(paper.id));
        }
        Instant now = clock.instant();
        Optional<PaperEntity> existing = resolve(s);
        PaperEntity paper = existing.orElseGet(() -> newPaper(s));
        if (existing.isEmpty()) {
            metrics.counter("paperwire.dedup.papers.created").increment();
        }
        String arxivBefore = paper.arxivId;
        String doiBefore = paper.doi;
        String abstractBefore = paper.abstractText;
        fold(paper, s, now);
        paper.lastChange = paper.revision == 1 ? ChangeType.CREATED
                : !Objects.equals(arxivBefore, paper.arxivId) || !Objects.equals(doiBefore, paper.doi) ? ChangeType.IDENTIFIERS_ADDED
                : !Objects.equals(abstractBefore, paper.abstractText) ? ChangeType.REVISED
                : ChangeType.UPDATED;
        papers.persist(paper);
        papers.flush();
        paper.upvotes = papers.countSighting(paper.id, s.source(), s.upvotes(), s.observedAt());
        paper.score = TrendingScore.of(paper.upvotes, paper.sightings, paper.firstSeenAt, now);

        SightingEntity row = new SightingEntity();
        row.eventId = eventId;
        row.paperId = paper.id;
        row.source = s.source();
        row.observedAt = s.observedAt();
        row.arxivId = s.arxivId();
        row.doi = s.doi();
        row.title = s.title();
        row.rawIdentifiers = s.rawIdentifiers();
        row.listingRank = s.rank();
        row.upvotes = s.upvotes();
        row.receivedAt = now;
        sightings.persist(row);
        papers.flush();
        return PaperMapper.toEvent(paper, papers.sourcesOf(paper.id));
    }

    /** DESIGN.md's identity rules: strong ids first; a title matches only a paper whose strong ids do not conflict. */
    Optional<PaperEntity> resolve(PaperSighted s) {
        if (s.arxivId() != null) {
            Optional<PaperEntity> byArxiv = papers.findByArxivId(s.arxivId());
            if (byArxiv.isPresent()) {
                return byArxiv;
            }
        }
        if (s.doi() != null) {
            Optional<PaperEntity> byDoi = papers.findByDoi(s.doi());
            if (byDoi.isPresent() && compatible(byDoi.get().arxivId, s.arxivId())) {
                return byDoi;
            }
        }
        return papers.findByFingerprint(s.titleFingerprint()).stream()
                .filter(p -> compatible(p.arxivId, s.arxivId()) && compatible(p.doi, s.doi()))
                .findFirst();
    }

    private static boolean compatible(String held, String offered) {
        return held == null || offered == null || held.equals(offered);
    }

    private static PaperEntity newPaper(PaperSighted s) {
        PaperEntity p = new PaperEntity();
        p.id = UUID.randomUUID();
        p.revision = 0;
        p.title = s.title();
        p.titleFingerprint = s.titleFingerprint();
        p.firstSeenAt = s.observedAt();
        p.lastSeenAt = s.observedAt();
        return p;
    }

    private static void fold(PaperEntity p, PaperSighted s, Instant now) {
        p.revision++;
        p.sightings++;
        if (p.arxivId == null) {
            p.arxivId = s.arxivId();
        }
        if (p.doi == null) {
            p.doi = s.doi();
        }
        if (p.abstractText == null || (s.abstractText() != null && s.abstractText().length() > p.abstractText.length())) {
            p.abstractText = s.abstractText();
        }
        if (p.authors.isEmpty()) {
            p.authors = new java.util.ArrayList<>(s.authors());
        }
        if (p.categories.isEmpty()) {
            p.categories = new java.util.ArrayList<>(s.categories());
        }
        if (s.observedAt().isBefore(p.firstSeenAt)) {
            p.firstSeenAt = s.observedAt();
        }
        if (s.observedAt().isAfter(p.lastSeenAt)) {
            p.lastSeenAt = s.observedAt();
        }
        p.updatedAt = now;
    }
}
