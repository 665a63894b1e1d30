package io.paperwire.dedup.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Sightings by event id (idempotency) and by paper (history). */
@ApplicationScoped
public class SightingRepository implements PanacheRepositoryBase<SightingEntity, String> {

    public List<SightingEntity> ofPaper(UUID paperId) {
        return list("paperId", Sort.by("observedAt").and("eventId"), paperId);
    }
}
