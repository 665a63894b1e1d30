package io.paperwire.ingest.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Where polling of one source stands: validators, cursor, outcome counters, and the replica holding it. */
@Entity
@Table(name = "source_state")
public class SourceState {

    @Id
    public String name;

    public String etag;

    @Column(name = "last_modified")
    public String lastModified;

    /** Where the next poll starts: an arXiv API offset or an OAI-PMH resumption token; null to start afresh. */
    public String cursor;

    @Column(name = "last_poll_at")
    public Instant lastPollAt;

    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    @Column(name = "last_new_entry_at")
    public Instant lastNewEntryAt;

    @Column(name = "entries_seen", nullable = false)
    public long entriesSeen;

    @Column(name = "sightings_published", nullable = false)
    public long sightingsPublished;

    @Column(nullable = false)
    public long rejects;

    @Column(name = "consecutive_failures", nullable = false)
    public int consecutiveFailures;

    @Column(name = "last_error")
    public String lastError;

    public String warning;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    /** The total the current harvest's first page announced (OAI-PMH completeListSize, arXiv API totalResults). */
    @Column(name = "harvest_announced")
    public Integer harvestAnnounced;

    /** Records (read or refused) the current harvest has walked so far, across polls when it resumes at a cursor. */
    @Column(name = "harvest_walked", nullable = false)
    public long harvestWalked;

    /** The last completed harvest: what it announced, what it delivered, when it ended. */
    @Column(name = "last_harvest_announced")
    public Integer lastHarvestAnnounced;

    @Column(name = "last_harvest_walked")
    public Long lastHarvestWalked;

    @Column(name = "last_harvest_at")
    public Instant lastHarvestAt;
}
