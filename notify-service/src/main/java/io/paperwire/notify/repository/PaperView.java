package io.paperwire.notify.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A paper as notify-service knows it: the latest consolidated state it has received. */
@Entity
@Table(name = "paper_view")
public class PaperView {

    @Id
    @Column(name = "paper_id")
    public String paperId;

    @Column(nullable = false)
    public long revision;

    @Column(name = "arxiv_id")
    public String arxivId;

    @Column(nullable = false)
    public String title;

    public String doi;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "title_aliases", nullable = false)
    public List<String> titleAliases = new ArrayList<>();

    /** The sources that listed it, sorted. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> sources = new ArrayList<>();

    @Column(name = "abstract")
    public String abstractText;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> authors = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public List<String> categories = new ArrayList<>();

    @Column(nullable = false)
    public double score;

    @Column(nullable = false)
    public int upvotes;

    @Column(nullable = false)
    public int sightings;

    @Column(name = "first_seen_at", nullable = false)
    public Instant firstSeenAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    /** When the read model last changed this paper (not part of the event: this service's own clock). */
    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
