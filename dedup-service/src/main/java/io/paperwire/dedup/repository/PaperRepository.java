package io.paperwire.dedup.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Catalogue queries: candidates for identity resolution, and pages for the papers API. */
@ApplicationScoped
public class PaperRepository implements PanacheRepositoryBase<PaperEntity, UUID> {

    public Optional<PaperEntity> findByArxivId(String arxivId) {
        return find("arxivId", arxivId).firstResultOptional();
    }

    public Optional<PaperEntity> findByDoi(String doi) {
        return find("doi", doi).firstResultOptional();
    }

    /** Papers with this title fingerprint, oldest first. */
    public List<PaperEntity> findByFingerprint(String fingerprint) {
        return list("titleFingerprint", Sort.by("firstSeenAt").and("id"), fingerprint);
    }

    public List<String> sourcesOf(UUID paperId) {
        @SuppressWarnings("unchecked")
        List<String> sources = getEntityManager()
                .createNativeQuery("select source from paper_source where paper_id = ?1 order by source")
                .setParameter(1, paperId)
                .getResultList();
        return sources;
    }

    /**
     * Counts one more sighting of {@code paperId} by {@code source}; its upvotes replace the source's earlier
     * count unless they are older than what is stored. Returns the paper's upvotes: the sum of each source's latest.
     */
    public int countSighting(UUID paperId, String source, Integer upvotes, java.time.Instant observedAt) {
        getEntityManager().createNativeQuery("""
                        insert into paper_source (paper_id, source, sightings, upvotes, last_seen_at)
                        values (?1, ?2, 1, ?3, ?4)
                        on conflict (paper_id, source) do update set
                            sightings = paper_source.sightings + 1,
                            upvotes = case when excluded.upvotes is not null and excluded.last_seen_at >= paper_source.last_seen_at
                                           then excluded.upvotes else paper_source.upvotes end,
                            last_seen_at = greatest(paper_source.last_seen_at, excluded.last_seen_at)
                        """)
                .setParameter(1, paperId).setParameter(2, source).setParameter(3, upvotes)
                .setParameter(4, java.sql.Timestamp.from(observedAt))
                .executeUpdate();
        Number total = (Number) getEntityManager()
                .createNativeQuery("select coalesce(sum(upvotes), 0) from paper_source where paper_id = ?1")
                .setParameter(1, paperId).getSingleResult();
        return total.intValue();
    }
}
