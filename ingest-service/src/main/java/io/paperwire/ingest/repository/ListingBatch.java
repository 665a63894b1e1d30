package io.paperwire.ingest.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A listing document ingest accepted: the record that makes a replay of it publish nothing new. */
@Entity
@Table(name = "listing_batch")
public class ListingBatch {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String source;

    @Column(name = "document_key", nullable = false)
    public String documentKey;

    @Column(name = "content_type", nullable = false)
    public String contentType;

    @Column(name = "content_hash", nullable = false)
    public String contentHash;

    @Column(nullable = false)
    public int accepted;

    @Column(nullable = false)
    public int rejected;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
