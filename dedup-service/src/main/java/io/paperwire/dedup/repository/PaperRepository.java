package io.paperwire.dedup.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Catalogue queries: candidates for identity resolution, and pages for the papers API. */
@ApplicationScoped
public class PaperRepository implements PanacheRepositoryBase<PaperEntity, UUID> {

    /**
     * Loads and locks these papers for the rest of the transaction, in id order (two batches locking overlapping sets
     * take them in the same order). A concurrent replica that reaches one of them through another identifier waits
     * instead of overwriting this transaction's counts.
     */
    public List<PaperEntity> lockAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return getEntityManager().createQuery("from PaperEntity p where p.id in :ids order by p.id", PaperEntity.class)
                .setParameter("ids", ids).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
    }

    /** Moves the sightings, per-source counts and earlier merges of {@code from} onto {@code to}; records the merge. */
    public void moveToSurvivor(UUID from, UUID to, Instant at) {
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
                .setParameter(1, from).setParameter(2, to).setParameter(3, Timestamp.from(at)).executeUpdate();
    }

    public void markAnnounced(UUID merged) {
        getEntityManager().createNativeQuery("update merged_paper set announced = true where id = ?1").setParameter(1, merged)
                .executeUpdate();
    }
}
