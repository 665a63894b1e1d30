package io.paperwire.dedup.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
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

    public List<PaperEntity> recent(int limit) {
        return findAll(Sort.by("lastSeenAt", Sort.Direction.Descending).and("id")).page(Page.ofSize(limit)).list();
    }

    public List<String> sourcesOf(UUID paperId) {
        return getEntityManager()
                .createQuery("select distinct s.source from SightingEntity s where s.paperId = ?1 order by s.source", String.class)
                .setParameter(1, paperId)
                .getResultList();
    }
}
