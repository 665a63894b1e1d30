package io.paperwire.dedup.service;

import io.paperwire.dedup.repository.PaperEntity;
import io.paperwire.dedup.repository.PaperRepository;
import io.paperwire.dedup.repository.SightingEntity;
import io.paperwire.dedup.repository.SightingRepository;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperConsolidated.ChangeType;
import io.paperwire.events.PaperMerged;
import io.paperwire.events.PaperSighted;
import java.util.List;
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

    /** The paper's state after a sighting, and merge announcements still owed to Kafka. */
    public record Outcome(PaperConsolidated state, List<PaperMerged> pendingMerges) {
    }

    @Transactional
    public Outcome apply(String eventId, PaperSighted s) {
        SightingEntity seen = sightings.findById(eventId);
        if (seen != null) {
            metrics.counter("paperwire.dedup.duplicates.dropped").increment();
            PaperEntity paper = papers.findById(seen.paperId);
            return new Outcome(PaperMapper.toEvent(paper, papers.sourcesOf(paper.id)), papers.pendingMerges(paper.id));
        }
        Instant now = clock.instant();
        Optional<PaperEntity> existing = resolve(s);
        PaperEntity paper = existing.orElseGet(() -> newPaper(s, now));
        if (existing.isEmpty()) {
            metrics.counter("paperwire.dedup.papers.created").increment();
            papers.persist(paper);
            papers.flush();
        }
        String arxivBefore = paper.arxivId;
        String doiBefore = paper.doi;
        String abstractBefore = paper.abstractText;
        List<PaperEntity> absorbed = absorbable(s, paper);
        for (PaperEntity other : absorbed) {
            absorb(paper, other, now);
        }
        fold(paper, s, now);
        paper.lastChange = paper.revision == 1 ? ChangeType.CREATED
                : !absorbed.isEmpty() ? ChangeType.MERGED
                : !Objects.equals(arxivBefore, paper.arxivId) || !Objects.equals(doiBefore, paper.doi) ? ChangeType.IDENTIFIERS_ADDED
                : !Objects.equals(abstractBefore, paper.abstractText) ? ChangeType.REVISED
                : ChangeType.UPDATED;
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
        return new Outcome(PaperMapper.toEvent(paper, papers.sourcesOf(paper.id)), papers.pendingMerges(paper.id));
    }

    /** Records a merge announcement as delivered, so it is not sent again. */
    @Transactional
    public void announced(String mergedPaperId) {
        papers.markAnnounced(UUID.fromString(mergedPaperId));
    }

    /**
     * Other records this sighting proves to be the survivor's paper: once a strong identifier ties a title (or a
     * DOI) to the survivor, a record with that title (or DOI) and no conflicting identifier is the same paper.
     */
    List<PaperEntity> absorbable(PaperSighted s, PaperEntity survivor) {
        if (s.arxivId() == null && s.doi() == null) {
            return List.of();
        }
        String arxiv = survivor.arxivId != null ? survivor.arxivId : s.arxivId();
        String doi = survivor.doi != null ? survivor.doi : s.doi();
        java.util.LinkedHashMap<UUID, PaperEntity> found = new java.util.LinkedHashMap<>();
        for (PaperEntity p : papers.findByFingerprint(s.titleFingerprint())) {
            found.put(p.id, p);
        }
        if (s.doi() != null) {
            papers.findByDoi(s.doi()).ifPresent(p -> found.put(p.id, p));
        }
        return found.values().stream()
                .filter(p -> !p.id.equals(survivor.id) && compatible(p.arxivId, arxiv) && compatible(p.doi, doi))
                .toList();
    }

    /** Moves everything of {@code other} onto {@code survivor}, deletes it, and owes Kafka its announcement. */
    private void absorb(PaperEntity survivor, PaperEntity other, Instant now) {
        metrics.counter("paperwire.dedup.merges").increment();
        papers.moveToSurvivor(other.id, survivor.id, now);
        survivor.sightings += other.sightings;
        if (other.firstSeenAt.isBefore(survivor.firstSeenAt)) {
            survivor.firstSeenAt = other.firstSeenAt;
        }
        if (other.lastSeenAt.isAfter(survivor.lastSeenAt)) {
            survivor.lastSeenAt = other.lastSeenAt;
        }
        if (survivor.abstractText == null || (other.abstractText != null && other.abstractText.length() > survivor.abstractText.length())) {
            survivor.abstractText = other.abstractText;
        }
        if (survivor.authors.isEmpty()) {
            survivor.authors = new java.util.ArrayList<>(other.authors);
        }
        survivor.categories = union(survivor.categories, other.categories);
        for (io.paperwire.events.Link l : other.links) {
            if (survivor.links.stream().noneMatch(have -> have.href().equals(l.href()))) {
                survivor.links = new java.util.ArrayList<>(survivor.links);
                survivor.links.add(l);
            }
        }
        String arxiv = other.arxivId;
        String doi = other.doi;
        papers.delete(other);
        papers.flush();
        // Only now, with the absorbed row gone, can its identifiers move without tripping the unique constraints.
        if (survivor.arxivId == null) {
            survivor.arxivId = arxiv;
        }
        if (survivor.doi == null) {
            survivor.doi = doi;
        }
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

    /** The categories of both, first-seen order, without repeats (the primary category stays first). */
    private static List<String> union(List<String> have, List<String> more) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(have);
        all.addAll(more);
        return new java.util.ArrayList<>(all);
    }

    private static PaperEntity newPaper(PaperSighted s, Instant now) {
        PaperEntity p = new PaperEntity();
        p.id = UUID.randomUUID();
        p.revision = 0;
        p.title = s.title();
        p.titleFingerprint = s.titleFingerprint();
        p.firstSeenAt = s.observedAt();
        p.lastSeenAt = s.observedAt();
        p.updatedAt = now;
        p.lastChange = ChangeType.CREATED;
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
        p.categories = union(p.categories, s.categories());
        List<io.paperwire.events.Link> links = new java.util.ArrayList<>(p.links);
        for (io.paperwire.events.Link l : s.links()) {
            if (links.stream().noneMatch(have -> have.href().equals(l.href()))) {
                links.add(l);
            }
        }
        p.links = links;
        if (s.observedAt().isBefore(p.firstSeenAt)) {
            p.firstSeenAt = s.observedAt();
        }
        if (s.observedAt().isAfter(p.lastSeenAt)) {
            p.lastSeenAt = s.observedAt();
        }
        p.updatedAt = now;
    }
}
