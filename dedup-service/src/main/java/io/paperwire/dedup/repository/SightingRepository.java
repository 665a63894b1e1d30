package io.paperwire.dedup.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Sightings by event id: the idempotency record of every consumed event. */
@ApplicationScoped
public class SightingRepository implements PanacheRepositoryBase<SightingEntity, String> {
}
