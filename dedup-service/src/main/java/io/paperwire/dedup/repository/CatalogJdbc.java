package io.paperwire.dedup.repository;

import io.paperwire.events.PaperMerged;
import io.paperwire.support.search.PaperFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The catalogue writes and reads of a whole batch, as plain JDBC statements on the transaction's own connection:
 * one round trip per statement kind instead of one per sighting, which is where consolidation's throughput comes
 * from. Entities ({@link PaperEntity}) stay with Hibernate; the high-volume rows (sightings, per-source counts,
 * titles) go through here.
 */
@ApplicationScoped
public class CatalogJdbc {

    /** One sighting as stored: the history row, which is also the idempotency record of its event id. */
    public record SightingRow(String eventId, UUID paperId, String source, Instant observedAt, String arxivId, String doi,
            String title, String rawIdentifiersJson, Integer rank, Integer upvotes, Instant receivedAt, LocalDate listingDate,
            String listingKey) {
    }

    /** A title the paper was listed under, and the sighting that brought it. */
    public record TitleRow(UUID paperId, String fingerprint, String title, Instant firstSeenAt, String eventId, String source) {
    }

    /**
     * The sightings of one paper by one source within a batch, folded: how many, the latest upvotes shown (and when),
     * and the latest observation.
     */
    public record SourceCount(UUID paperId, String source, int sightings, Integer upvotes, Instant upvotesAt, Instant lastSeenAt) {
    }

    /** A stored per-source row: the upvotes it shows and the last time the source listed the paper. */
    public record StoredSource(UUID paperId, String source, Integer upvotes, Instant lastSeenAt) {
    }

    private final EntityManager em;

    public CatalogJdbc(EntityManager em) {
        this.em = em;
    }

    private <T> T work(SqlWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(c -> work.run(c));
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Takes transaction-scoped advisory locks on the identity keys (arXiv id, DOI, fingerprint) of a batch, in
     * ascending order so that two batches never wait on each other in a cycle. Two replicas that might create the
     * same paper share at least one key, so the second waits and then finds the first one's paper: this is what
     * keeps a title-only sighting and an arXiv-id sighting with that title from making two papers.
     */
    public void lockIdentities(long[] ascendingKeys) {
        if (ascendingKeys.length == 0) {
            return;
        }
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select count(pg_advisory_xact_lock(k)) from unnest(?::bigint[]) with ordinality as u(k, n)")) {
                Long[] boxed = new Long[ascendingKeys.length];
                for (int i = 0; i < boxed.length; i++) {
                    boxed[i] = ascendingKeys[i];
                }
                ps.setArray(1, c.createArrayOf("bigint", boxed));
                ps.executeQuery().close();
            }
            return null;
        });
    }

    /**
     * The papers a batch may touch: those holding any of its arXiv ids or DOIs, or listed under any of its title
     * fingerprints. One statement for the whole batch, each branch an index look-up.
     */
    public List<UUID> candidateIds(Collection<String> arxivIds, Collection<String> dois, Collection<String> fingerprints) {
        return work(c -> {
            List<UUID> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select id from paper where arxiv_id = any(?)
                    union select id from paper where doi = any(?)
                    union select paper_id from paper_title where fingerprint = any(?)""")) {
                ps.setArray(1, c.createArrayOf("text", arxivIds.toArray()));
                ps.setArray(2, c.createArrayOf("text", dois.toArray()));
                ps.setArray(3, c.createArrayOf("text", fingerprints.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return out;
        });
    }

    /** Which of these event ids were folded already, and into which paper (the row follows merges). */
    public Map<String, UUID> foldedEvents(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Map.of();
        }
        return work(c -> {
            Map<String, UUID> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select event_id, paper_id from sighting where event_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("text", eventIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getObject(2, UUID.class));
                    }
                }
            }
            return out;
        });
    }

    public void insertSightings(List<SightingRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into sighting (event_id, paper_id, source, observed_at, arxiv_id, doi, title, raw_identifiers,
                                          listing_rank, upvotes, received_at, listing_date, listing_key)
                    values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)""")) {
                for (SightingRow r : rows) {
                    ps.setString(1, r.eventId());
                    ps.setObject(2, r.paperId());
                    ps.setString(3, r.source());
                    ps.setTimestamp(4, Timestamp.from(r.observedAt()));
                    ps.setString(5, r.arxivId());
                    ps.setString(6, r.doi());
                    ps.setString(7, r.title());
                    ps.setString(8, r.rawIdentifiersJson());
                    setInt(ps, 9, r.rank());
                    setInt(ps, 10, r.upvotes());
                    ps.setTimestamp(11, Timestamp.from(r.receivedAt()));
                    ps.setObject(12, r.listingDate());
                    ps.setString(13, r.listingKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public void insertTitles(Collection<TitleRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into paper_title (paper_id, fingerprint, title, first_seen_at, event_id, source)
                    values (?, ?, ?, ?, ?, ?) on conflict (paper_id, fingerprint) do nothing""")) {
                for (TitleRow r : rows) {
                    ps.setObject(1, r.paperId());
                    ps.setString(2, r.fingerprint());
                    ps.setString(3, r.title());
                    ps.setTimestamp(4, Timestamp.from(r.firstSeenAt()));
                    ps.setString(5, r.eventId());
                    ps.setString(6, r.source());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Adds a batch's per-source counts. A source's upvotes replace the stored ones unless they are older than the
     * source's last stored sighting, so a late-arriving old listing cannot roll the count back. One statement over
     * arrays for the whole batch: as a JDBC batch it was one execution per row (the update's extra parameters keep
     * the driver from rewriting it into a multi-row insert), 100,000 executions for 100,000 sightings. The counts are
     * folded per (paper, source), so no row is touched twice by the one statement; the stored row it compares with is
     * read in the same statement, under the batch's identity locks, which every writer of these papers holds.
     */
    public void upsertSourceCounts(Collection<SourceCount> counts) {
        if (counts.isEmpty()) {
            return;
        }
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into paper_source as s (paper_id, source, sightings, upvotes, last_seen_at)
                    select u.paper_id, u.source, u.sightings,
                           case when u.upvotes is not null and (cur.last_seen_at is null or u.upvotes_at >= cur.last_seen_at)
                                then u.upvotes else cur.upvotes end,
                           u.last_seen_at
                    from unnest(?::uuid[], ?::text[], ?::int[], ?::int[], ?::timestamptz[], ?::timestamptz[])
                             as u(paper_id, source, sightings, upvotes, last_seen_at, upvotes_at)
                         left join paper_source cur on cur.paper_id = u.paper_id and cur.source = u.source
                    on conflict (paper_id, source) do update set
                        sightings = s.sightings + excluded.sightings,
                        upvotes = excluded.upvotes,
                        last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at)""")) {
                int n = counts.size();
                Object[] papers = new Object[n];
                Object[] sources = new Object[n];
                Object[] sightings = new Object[n];
                Object[] upvotes = new Object[n];
                Object[] lastSeen = new Object[n];
                Object[] upvotesAt = new Object[n];
                int i = 0;
                for (SourceCount sc : counts) {
                    papers[i] = sc.paperId();
                    sources[i] = sc.source();
                    sightings[i] = sc.sightings();
                    upvotes[i] = sc.upvotes();
                    lastSeen[i] = Timestamp.from(sc.lastSeenAt());
                    upvotesAt[i] = sc.upvotesAt() == null ? null : Timestamp.from(sc.upvotesAt());
                    i++;
                }
                ps.setArray(1, c.createArrayOf("uuid", papers));
                ps.setArray(2, c.createArrayOf("text", sources));
                ps.setArray(3, c.createArrayOf("int4", sightings));
                ps.setArray(4, c.createArrayOf("int4", upvotes));
                ps.setArray(5, c.createArrayOf("timestamptz", lastSeen));
                ps.setArray(6, c.createArrayOf("timestamptz", upvotesAt));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * (Re)computes the search document of papers whose title or abstract changed, from their stored text, in one
     * statement: the filter language's document (title words weigh more than the abstract's), as notify's read model
     * holds it too.
     */
    public void indexText(Collection<UUID> paperIds) {
        if (paperIds.isEmpty()) {
            return;
        }
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into paper_search (paper_id, document) select id, "
                    + PaperFilter.document("title", "abstract") + " from paper where id = any (?)"
                    + " on conflict (paper_id) do update set document = excluded.document")) {
                ps.setArray(1, c.createArrayOf("uuid", paperIds.toArray()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    public List<StoredSource> storedSources(Collection<UUID> paperIds) {
        if (paperIds.isEmpty()) {
            return List.of();
        }
        return work(c -> {
            List<StoredSource> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select paper_id, source, upvotes, last_seen_at from paper_source where paper_id = any(?)")) {
                ps.setArray(1, c.createArrayOf("uuid", paperIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredSource(rs.getObject(1, UUID.class), rs.getString(2), (Integer) rs.getObject(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** Each paper's sources, alphabetically. */
    public Map<UUID, List<String>> sourcesOf(Collection<UUID> paperIds) {
        return listsOf(paperIds, "select paper_id, source from paper_source where paper_id = any(?) order by paper_id, source");
    }

    /** Each paper's fingerprints (canonical and aliases). */
    public Map<UUID, List<String>> fingerprintsOf(Collection<UUID> paperIds) {
        return listsOf(paperIds, "select paper_id, fingerprint from paper_title where paper_id = any(?) order by paper_id, first_seen_at");
    }

    /** Each paper's title aliases: the titles it was listed under whose fingerprint is not the canonical title's. */
    public Map<UUID, List<String>> aliasesOf(Collection<UUID> paperIds) {
        return listsOf(paperIds, """
                select t.paper_id, t.title from paper_title t join paper p on p.id = t.paper_id
                where t.paper_id = any(?) and t.fingerprint <> p.title_fingerprint
                order by t.paper_id, t.first_seen_at, t.fingerprint""");
    }

    private Map<UUID, List<String>> listsOf(Collection<UUID> paperIds, String sql) {
        if (paperIds.isEmpty()) {
            return Map.of();
        }
        return work(c -> {
            Map<UUID, List<String>> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("uuid", paperIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    /**
     * The committed revision of each of these papers that still exists, its row locked {@code FOR SHARE} until the
     * transaction ends (in id order, so that two publishers never wait on each other in a cycle).
     */
    public Map<UUID, Long> lockCommittedRevisions(Collection<UUID> paperIds) {
        if (paperIds.isEmpty()) {
            return Map.of();
        }
        return work(c -> {
            Map<UUID, Long> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, revision from paper where id = any(?) order by id for share")) {
                ps.setArray(1, c.createArrayOf("uuid", paperIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getObject(1, UUID.class), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    /** Merges into these survivors not yet announced on Kafka (the outbox of merge announcements). */
    public List<PaperMerged> pendingMerges(Collection<UUID> survivors) {
        if (survivors.isEmpty()) {
            return List.of();
        }
        return work(c -> {
            List<PaperMerged> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, merged_into, merged_at from merged_paper
                    where merged_into = any(?) and not announced order by merged_at, id""")) {
                ps.setArray(1, c.createArrayOf("uuid", survivors.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PaperMerged(rs.getObject(1, UUID.class).toString(), rs.getObject(2, UUID.class).toString(),
                                rs.getObject(3, OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
