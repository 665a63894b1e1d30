package io.paperwire.dedup.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperMerged;
import io.paperwire.support.db.BinaryCopy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
 * one statement per kind of row for the whole batch, new rows appended with binary COPY, and no ORM state kept or
 * compared. This is consolidation's hot path (issue 21, docs/benchmarks.md).
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
     * Loads and locks ({@code FOR UPDATE}, in id order, so two batches never wait on each other in a cycle) every paper
     * the batch may touch: those holding any of its arXiv ids or DOIs, listed under any of its title fingerprints, or
     * named by id (the papers of event ids folded before), each with every title it answers to. Two statements for the
     * whole batch, each branch an index look-up. With the batch's identity locks held, nobody can add a paper under
     * these keys until the batch commits.
     */
    public LockedPapers lockPapers(Collection<String> arxivIds, Collection<String> dois, Collection<String> fingerprints,
            Collection<UUID> ids) {
        return work(c -> {
            List<PaperEntity> papers = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + PAPER_COLUMNS + """
                     from paper where id in (
                        select id from paper where arxiv_id = any(?)
                        union select id from paper where doi = any(?)
                        union select paper_id from paper_title where fingerprint = any(?)
                        union select unnest(?::uuid[]))
                    order by id for update""")) {
                ps.setArray(1, c.createArrayOf("text", arxivIds.toArray()));
                ps.setArray(2, c.createArrayOf("text", dois.toArray()));
                ps.setArray(3, c.createArrayOf("text", fingerprints.toArray()));
                ps.setArray(4, c.createArrayOf("uuid", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        papers.add(paper(rs));
                    }
                }
            }
            return new LockedPapers(papers, titlesOf(c, papers.stream().map(p -> p.id).toList()));
        });
    }

    /** Every title of these papers, oldest first (the fingerprint breaks ties). */
    private static Map<UUID, List<TitleRow>> titlesOf(Connection c, Collection<UUID> paperIds) throws SQLException {
        Map<UUID, List<TitleRow>> out = new HashMap<>();
        if (paperIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select paper_id, fingerprint, title, first_seen_at, event_id, source from paper_title
                where paper_id = any(?) order by paper_id, first_seen_at, fingerprint""")) {
            ps.setArray(1, c.createArrayOf("uuid", paperIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    out.computeIfAbsent(id, k -> new ArrayList<>()).add(new TitleRow(id, rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return out;
    }

    /** The papers a batch locked, and each one's titles. */
    public record LockedPapers(List<PaperEntity> papers, Map<UUID, List<TitleRow>> titles) {
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

    /** New papers, appended with binary COPY. */
    public void insertPapers(Collection<PaperEntity> papers) {
        if (papers.isEmpty()) {
            return;
        }
        BinaryCopy copy = new BinaryCopy("paper", "id", "revision", "arxiv_id", "doi", "title", "title_fingerprint", "abstract",
                "authors", "categories", "links", "first_seen_at", "last_seen_at", "sightings", "upvotes", "score", "updated_at",
                "canonical_rank", "canonical_observed_at", "last_change", "source_counts");
        for (PaperEntity p : papers) {
            copy.row().uuid(p.id).int8(p.revision).text(p.arxivId).text(p.doi).text(p.title).text(p.titleFingerprint)
                    .text(p.abstractText).jsonb(json(p.authors)).jsonb(json(p.categories)).jsonb(json(p.links))
                    .timestamptz(p.firstSeenAt).timestamptz(p.lastSeenAt).int4(p.sightings).int4(p.upvotes).float8(p.score)
                    .timestamptz(p.updatedAt).int4(p.canonicalRank).timestamptz(p.canonicalObservedAt).text(p.lastChange)
                    .jsonb(json(p.sourceCounts));
        }
        work(copy::copyTo);
    }

    /**
     * Stored papers rewritten, in one statement over arrays: as a JDBC batch it was one execution per paper (an update
     * is never rewritten into one statement by the driver). The rows are locked by this transaction since
     * {@link #lockPapers}.
     */
    public void updatePapers(Collection<PaperEntity> papers) {
        if (papers.isEmpty()) {
            return;
        }
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    update paper p set revision = u.revision, arxiv_id = u.arxiv_id, doi = u.doi, title = u.title,
                        title_fingerprint = u.title_fingerprint, abstract = u.abstract, authors = u.authors::jsonb,
                        categories = u.categories::jsonb, links = u.links::jsonb, first_seen_at = u.first_seen_at,
                        last_seen_at = u.last_seen_at, sightings = u.sightings, upvotes = u.upvotes, score = u.score,
                        updated_at = u.updated_at, canonical_rank = u.canonical_rank,
                        canonical_observed_at = u.canonical_observed_at, last_change = u.last_change,
                        source_counts = u.source_counts::jsonb
                    from unnest(?::uuid[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                ?::text[], ?::timestamptz[], ?::timestamptz[], ?::int4[], ?::int4[], ?::float8[], ?::timestamptz[],
                                ?::int4[], ?::timestamptz[], ?::text[], ?::text[])
                         as u(id, revision, arxiv_id, doi, title, title_fingerprint, abstract, authors, categories, links,
                              first_seen_at, last_seen_at, sightings, upvotes, score, updated_at, canonical_rank,
                              canonical_observed_at, last_change, source_counts)
                    where p.id = u.id""")) {
                setColumns(c, ps, papers, p -> new Object[] {p.id, p.revision, p.arxivId, p.doi, p.title, p.titleFingerprint,
                        p.abstractText, json(p.authors), json(p.categories), json(p.links), iso(p.firstSeenAt), iso(p.lastSeenAt),
                        p.sightings, p.upvotes, p.score, iso(p.updatedAt), p.canonicalRank, iso(p.canonicalObservedAt), p.lastChange,
                        json(p.sourceCounts)}, "uuid", "int8", "text", "text", "text", "text", "text", "text", "text", "text",
                        "timestamptz", "timestamptz", "int4", "int4", "float8", "timestamptz", "int4", "timestamptz", "text", "text");
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Stored papers of which only the counts changed (revision, times, sightings, upvotes, score, change type, per-source
     * counts): the usual case of a paper listed again. The text, identifiers and lists stay as stored, so they are not
     * sent, and the driver does not escape every abstract into an array literal.
     */
    public void updateCounts(Collection<PaperEntity> papers) {
        if (papers.isEmpty()) {
            return;
        }
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    update paper p set revision = u.revision, first_seen_at = u.first_seen_at, last_seen_at = u.last_seen_at,
                        sightings = u.sightings, upvotes = u.upvotes, score = u.score, updated_at = u.updated_at,
                        last_change = u.last_change, source_counts = u.source_counts::jsonb
                    from unnest(?::uuid[], ?::int8[], ?::timestamptz[], ?::timestamptz[], ?::int4[], ?::int4[], ?::float8[],
                                ?::timestamptz[], ?::text[], ?::text[])
                         as u(id, revision, first_seen_at, last_seen_at, sightings, upvotes, score, updated_at, last_change,
                              source_counts)
                    where p.id = u.id""")) {
                setColumns(c, ps, papers, p -> new Object[] {p.id, p.revision, iso(p.firstSeenAt), iso(p.lastSeenAt), p.sightings,
                        p.upvotes, p.score, iso(p.updatedAt), p.lastChange, json(p.sourceCounts)}, "uuid", "int8", "timestamptz",
                        "timestamptz", "int4", "int4", "float8", "timestamptz", "text", "text");
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** One array parameter per column, in order, from each paper's row of values. */
    private static void setColumns(Connection c, PreparedStatement ps, Collection<PaperEntity> papers,
            java.util.function.Function<PaperEntity, Object[]> row, String... types) throws SQLException {
        Object[][] cols = new Object[types.length][papers.size()];
        int i = 0;
        for (PaperEntity p : papers) {
            Object[] values = row.apply(p);
            for (int k = 0; k < values.length; k++) {
                cols[k][i] = values[k];
            }
            i++;
        }
        for (int k = 0; k < types.length; k++) {
            ps.setArray(k + 1, c.createArrayOf(types[k], cols[k]));
        }
    }

    /** Appends sighting rows with binary COPY; a repeated event id breaks the primary key and fails the batch. */
    public void insertSightings(List<SightingRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        BinaryCopy copy = new BinaryCopy("sighting", "event_id", "paper_id", "source", "observed_at", "arxiv_id", "doi", "title",
                "raw_identifiers", "listing_rank", "upvotes", "received_at", "listing_date", "listing_key");
        for (SightingRow r : rows) {
            copy.row().text(r.eventId()).uuid(r.paperId()).text(r.source()).timestamptz(r.observedAt()).text(r.arxivId())
                    .text(r.doi()).text(r.title()).jsonb(r.rawIdentifiersJson()).int4(r.rank()).int4(r.upvotes())
                    .timestamptz(r.receivedAt()).date(r.listingDate()).text(r.listingKey());
        }
        work(copy::copyTo);
    }

    /**
     * Appends titles new to their papers with binary COPY. The caller knows every title of the papers it holds locked,
     * so none of these can exist yet.
     */
    public void insertTitles(Collection<TitleRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        BinaryCopy copy = new BinaryCopy("paper_title", "paper_id", "fingerprint", "title", "first_seen_at", "event_id", "source");
        for (TitleRow r : rows) {
            copy.row().uuid(r.paperId()).text(r.fingerprint()).text(r.title()).timestamptz(r.firstSeenAt()).text(r.eventId())
                    .text(r.source());
        }
        work(copy::copyTo);
    }

    /**
     * Moves the sightings, titles and earlier merges of {@code from} onto {@code to}, records the merge (the outbox of
     * its announcement) and deletes {@code from}'s row. The caller folds the rest (counts, text) into {@code to}'s row.
     */
    public void moveToSurvivor(UUID from, UUID to, Instant at) {
        work(c -> {
            update(c, "update sighting set paper_id = ? where paper_id = ?", to, from);
            update(c, """
                    insert into paper_title (paper_id, fingerprint, title, first_seen_at, event_id, source)
                    select ?, fingerprint, title, first_seen_at, event_id, source from paper_title where paper_id = ?
                    on conflict (paper_id, fingerprint) do nothing""", to, from);
            update(c, "delete from paper_title where paper_id = ?", from);
            update(c, "update merged_paper set merged_into = ? where merged_into = ?", to, from);
            update(c, "insert into merged_paper (id, merged_into, merged_at) values (?, ?, ?)", from, to, ts(at));
            update(c, "delete from paper where id = ?", from);
            return null;
        });
    }

    /** The merge of {@code merged} was announced on Kafka. */
    public void markAnnounced(UUID merged) {
        work(c -> update(c, "update merged_paper set announced = true where id = ?", merged));
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static final String PAPER_COLUMNS = """
            id, revision, arxiv_id, doi, title, title_fingerprint, abstract, authors::text, categories::text, links::text,
            first_seen_at, last_seen_at, sightings, upvotes, score, updated_at, canonical_rank, canonical_observed_at,
            last_change, source_counts::text""";

    private static PaperEntity paper(ResultSet rs) throws SQLException {
        PaperEntity p = new PaperEntity();
        p.id = rs.getObject(1, UUID.class);
        p.revision = rs.getLong(2);
        p.arxivId = rs.getString(3);
        p.doi = rs.getString(4);
        p.title = rs.getString(5);
        p.titleFingerprint = rs.getString(6);
        p.abstractText = rs.getString(7);
        p.authors = read(rs.getString(8), STRINGS);
        p.categories = read(rs.getString(9), STRINGS);
        p.links = read(rs.getString(10), LINKS);
        p.firstSeenAt = instant(rs, 11);
        p.lastSeenAt = instant(rs, 12);
        p.sightings = rs.getInt(13);
        p.upvotes = rs.getInt(14);
        p.score = rs.getDouble(15);
        p.updatedAt = instant(rs, 16);
        p.canonicalRank = rs.getInt(17);
        p.canonicalObservedAt = instant(rs, 18);
        p.lastChange = rs.getString(19);
        p.sourceCounts = read(rs.getString(20), SOURCE_COUNTS);
        return p;
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<PaperLink>> LINKS = new TypeReference<>() { };
    private static final TypeReference<List<SourceCount>> SOURCE_COUNTS = new TypeReference<>() { };

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return PaperEventsJson.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored JSON column does not read back: " + e.getOriginalMessage(), e);
        }
    }

    private static String json(Object value) {
        try {
            return PaperEventsJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON column", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }

    /**
     * An instant in an array parameter, to the microsecond PostgreSQL keeps (as BinaryCopy writes it), in a form
     * PostgreSQL reads for every year it can store: ISO-8601 for years 1 to 9999; beyond, the year's digits without a
     * sign ({@code Instant.toString}'s "+12000" is refused), and "BC" for year 0 and before (0 is 1 BC). A year beyond
     * PostgreSQL's range is refused by PostgreSQL (SQLSTATE 22008), as in a COPY.
     */
    static String iso(Instant at) {
        Instant micros = at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        java.time.OffsetDateTime t = micros.atOffset(java.time.ZoneOffset.UTC);
        int year = t.getYear();
        if (year >= 1 && year <= 9999) {
            return micros.toString();
        }
        return String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d+00%s", year <= 0 ? 1 - year : year, t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000, year <= 0 ? " BC" : "");
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
}
