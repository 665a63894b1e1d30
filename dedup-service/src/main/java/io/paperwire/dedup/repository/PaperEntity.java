package io.paperwire.dedup.repository;

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

/**
 * A consolidated paper in the catalogue; mapped to the wire event explicitly by {@code PaperMapper}. The batch reads and
 * writes these rows with plain JDBC ({@link CatalogJdbc}) and never through Hibernate, which maps the row for schema
 * validation and for tests.
 */
@Entity
@Table(name = "paper")
public class PaperEntity {

    @Id
    public UUID id;

    @Column(nullable = false)
    public long revision;

    @Column(name = "arxiv_id")
    public String arxivId;

    public String doi;

    @Column(nullable = false)
    public String title;

    @Column(name = "title_fingerprint", nullable = false)
    public String titleFingerprint;

    @Column(name = "abstract")
    public String abstractText;

    // The JSON lists are replaced, never changed in place (BatchFold assigns new lists), so Hibernate need not keep a
    // copy of each one: by default it deep-copies a JSON value on every load and persist by writing it to JSON and
    // parsing it back, a tenth of dedup's allocation. Dirty checking still compares the old and the new list.
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(nullable = false)
    public List<String> authors = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(nullable = false)
    public List<String> categories = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(nullable = false)
    public List<PaperLink> links = new ArrayList<>();

    @Column(name = "first_seen_at", nullable = false)
    public Instant firstSeenAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(nullable = false)
    public int sightings;

    @Column(nullable = false)
    public int upvotes;

    @Column(nullable = false)
    public double score;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Rank of the sighting the canonical title, abstract and authors come from (see {@code CanonicalSource}). */
    @Column(name = "canonical_rank", nullable = false)
    public int canonicalRank;

    /** When the sighting the canonical fields come from was observed. */
    @Column(name = "canonical_observed_at", nullable = false)
    public Instant canonicalObservedAt;

    /** Per-source counts, sorted by source (see {@link SourceCount}). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    @Column(name = "source_counts", nullable = false)
    public List<SourceCount> sourceCounts = new ArrayList<>();

    /** The change type of the latest revision, by its name in the contract ({@code CREATED}, {@code IDENTIFIERS_ADDED}, ...). */
    @Column(name = "last_change", nullable = false)
    public String lastChange;
}
