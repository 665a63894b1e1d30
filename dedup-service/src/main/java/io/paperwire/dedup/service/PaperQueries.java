package io.paperwire.dedup.service;

import io.paperwire.dedup.repository.PaperEntity;
import io.paperwire.dedup.repository.PaperRepository;
import io.paperwire.dedup.repository.SightingEntity;
import io.paperwire.dedup.repository.SightingRepository;
import io.paperwire.events.PaperConsolidated;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Read models of the papers API, built from the catalogue in one read transaction. */
@ApplicationScoped
public class PaperQueries {

    private final PaperRepository papers;
    private final SightingRepository sightings;

    public PaperQueries(PaperRepository papers, SightingRepository sightings) {
        this.papers = papers;
        this.sightings = sightings;
    }

    /** One page of papers, most recently seen first. */
    public record PaperPage(long total, List<PaperConsolidated> items, String next) {
    }

    /** A paper with the sightings that made it, each with the identifiers it brought. */
    public record PaperDetail(PaperConsolidated paper, List<SightingView> sightingHistory) {
    }

    /** One sighting as evidence: where and when, and which identifiers it contributed. */
    public record SightingView(String eventId, String source, Instant observedAt, String arxivId, String doi,
            List<String> rawIdentifiers, Integer rank) {
    }

    @Transactional
    public PaperPage recent(int limit) {
        List<PaperConsolidated> items = papers.recent(limit).stream()
                .map(p -> PaperMapper.toEvent(p, papers.sourcesOf(p.id))).toList();
        return new PaperPage(papers.count(), items, null);
    }

    @Transactional
    public Optional<PaperDetail> detail(UUID id) {
        PaperEntity p = papers.findById(id);
        if (p == null) {
            return Optional.empty();
        }
        List<SightingView> history = sightings.ofPaper(id).stream().map(PaperQueries::view).toList();
        return Optional.of(new PaperDetail(PaperMapper.toEvent(p, papers.sourcesOf(id)), history));
    }

    private static SightingView view(SightingEntity s) {
        return new SightingView(s.eventId, s.source, s.observedAt, s.arxivId, s.doi, s.rawIdentifiers, s.listingRank);
    }
}
