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

    /** Moves the sightings, per-source counts and earlier merges of {@code from} onto {@code to}; records the merge. */
    public void moveToSurvivor(UUID from, UUID to, java.time.Instant at) {
        var em = getEntityManager();
        em.createNativeQuery("update sighting set paper_id = ?2 where paper_id = ?1").setParameter(1, from).setParameter(2, to)
                .executeUpdate();
        em.createNativeQuery("""
                        insert into paper_source (paper_id, source, sightings, upvotes, last_seen_at)
                        select ?2, source, sightings, upvotes, last_seen_at from paper_source where paper_id = ?1
                        on conflict (paper_id, source) do update set
                            sightings = paper_source.sightings + excluded.sightings,
                            upvotes = case when excluded.last_seen_at > paper_source.last_seen_at
                                           then coalesce(excluded.upvotes, paper_source.upvotes)
                                           else coalesce(paper_source.upvotes, excluded.upvotes) end,
                            last_seen_at = greatest(paper_source.last_seen_at, excluded.last_seen_at)
                        """).setParameter(1, from).setParameter(2, to).executeUpdate();
        em.createNativeQuery("delete from paper_source where paper_id = ?1").setParameter(1, from).executeUpdate();
        em.createNativeQuery("update merged_paper set merged_into = ?2 where merged_into = ?1").setParameter(1, from)
                .setParameter(2, to).executeUpdate();
        em.createNativeQuery("insert into merged_paper (id, merged_into, merged_at) values (?1, ?2, ?3)")
                .setParameter(1, from).setParameter(2, to).setParameter(3, java.sql.Timestamp.from(at)).executeUpdate();
    }

    /** Merges into {@code survivor} not yet announced on Kafka. */
    public List<io.paperwire.events.PaperMerged> pendingMerges(UUID survivor) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager()
                .createNativeQuery("select cast(id as text), merged_at from merged_paper where merged_into = ?1 and not announced order by merged_at")
                .setParameter(1, survivor).getResultList();
        return rows.stream().map(r -> new io.paperwire.events.PaperMerged((String) r[0], survivor.toString(), instant(r[1]))).toList();
    }

    public void markAnnounced(UUID merged) {
        getEntityManager().createNativeQuery("update merged_paper set announced = true where id = ?1").setParameter(1, merged)
                .executeUpdate();
    }

    private static java.time.Instant instant(Object o) {
        if (o instanceof java.time.Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((java.sql.Timestamp) o).toInstant();
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
