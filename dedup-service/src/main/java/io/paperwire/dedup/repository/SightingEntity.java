package io.paperwire.dedup.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/** One sighting folded into a paper, keyed by its event id so that a redelivery is recognised. */
@Entity
@Table(name = "sighting")
public class SightingEntity extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "paper_id", nullable = false)
    public UUID paperId;

    @Column(nullable = false)
    public String source;

    @Column(name = "observed_at", nullable = false)
    public Instant observedAt;

    @Column(name = "arxiv_id")
    public String arxivId;

    public String doi;

    @Column(nullable = false)
    public String title;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class) // replaced, never changed in place: no JSON round trip per load (see PaperEntity)
    @Column(name = "raw_identifiers", nullable = false)
    public List<String> rawIdentifiers = new ArrayList<>();

    @Column(name = "listing_rank")
    public Integer listingRank;

    public Integer upvotes;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
