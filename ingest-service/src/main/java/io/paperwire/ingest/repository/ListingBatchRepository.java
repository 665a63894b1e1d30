package io.paperwire.ingest.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Finds and stores accepted listing documents. */
@ApplicationScoped
public class ListingBatchRepository implements PanacheRepositoryBase<ListingBatch, UUID> {

    public Optional<ListingBatch> findByDocument(String source, String documentKey) {
        return find("source = ?1 and documentKey = ?2", source, documentKey).firstResultOptional();
    }
}
