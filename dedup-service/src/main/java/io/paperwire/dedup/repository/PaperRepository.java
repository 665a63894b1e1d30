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

    /** The entity's columns, spelled out so a native query does not drag the search vector along. */
    private static final String COLUMNS = "p.id, p.revision, p.arxiv_id, p.doi, p.title, p.title_fingerprint, p.abstract, p.authors, "
            + "p.categories, p.links, p.first_seen_at, p.last_seen_at, p.sightings, p.upvotes, p.score, p.updated_at, p.last_change, "
            + "p.canonical_rank, p.canonical_observed_at";

    /**
     * Candidates for a sighting, locked for this transaction: the papers holding its arXiv id or DOI, and those that
     * were ever listed under its title fingerprint, oldest first. Locking them makes a concurrent replica that reaches
     * the same paper through another identifier wait instead of overwriting this transaction's counts.
     */
    @SuppressWarnings("unchecked")
    public List<PaperEntity> candidatesForUpdate(String arxivId, String doi, String fingerprint) {
        // A union of three index look-ups: written as one OR, PostgreSQL scanned the whole paper table per sighting.
        return getEntityManager().createNativeQuery("select " + COLUMNS + " from paper p where p.id in ("
                        + "select id from paper where arxiv_id = ?1 union select id from paper where doi = ?2 "
                        + "union select paper_id from paper_title where fingerprint = ?3) "
                        + "order by p.first_seen_at, p.id for update of p", PaperEntity.class)
                .setParameter(1, arxivId).setParameter(2, doi).setParameter(3, fingerprint)
                .getResultList();
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
        em.createNativeQuery("""
                        insert into paper_title (paper_id, fingerprint, title, first_seen_at, event_id, source)
                        select ?2, fingerprint, title, first_seen_at, event_id, source from paper_title where paper_id = ?1
                        on conflict (paper_id, fingerprint) do nothing
                        """).setParameter(1, from).setParameter(2, to).executeUpdate();
        em.createNativeQuery("delete from paper_title where paper_id = ?1").setParameter(1, from).executeUpdate();
        em.createNativeQuery("update merged_paper set merged_into = ?2 where merged_into = ?1").setParameter(1, from)
                .setParameter(2, to).executeUpdate();
        em.createNativeQuery("insert into merged_paper (id, merged_into, merged_at) values (?1, ?2, ?3)")
                .setParameter(1, from).setParameter(2, to).setParameter(3, java.sql.Timestamp.from(at)).executeUpdate();
    }

    public void markAnnounced(UUID merged) {
        getEntityManager().createNativeQuery("update merged_paper set announced = true where id = ?1").setParameter(1, merged)
                .executeUpdate();
    }
}
