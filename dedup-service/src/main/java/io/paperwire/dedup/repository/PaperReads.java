package io.paperwire.dedup.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.paperwire.dedup.ranking.TrendingScore;
import io.paperwire.support.search.PaperFilter;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The papers API's reads of the catalogue (paper with its per-source counts, sighting, paper_title, merged_paper,
 * paper_search),
 * in plain SQL on pooled connections: the filter language's match, relevance, trending or recent order, and keyset pages.
 */
@ApplicationScoped
public class PaperReads {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String COLUMNS = "p.id, p.revision, p.arxiv_id, p.doi, p.title, p.abstract, p.authors::text, "
            + "p.categories::text, p.first_seen_at, p.last_seen_at, p.sightings, p.upvotes";
    /** The catalogue's columns, as the filter language names them (in the query's inner select). */
    private static final PaperFilter.Columns FILTERED = new PaperFilter.Columns("t0.document", "t0.authors_j", "t0.categories_j", "t0.score");

    /** A paper row with its trending score at the query's "now" and how well it answers the search (0 without one). */
    public record PaperRow(UUID id, long revision, String arxivId, String doi, String title, String abstractText,
            List<String> authors, List<String> categories, Instant firstSeenAt, Instant lastSeenAt, int sightings,
            int upvotes, double score, double relevance) {
    }

    /** One sighting of a paper, with the identifiers it carried. */
    public record SightingRow(String eventId, String source, Instant observedAt, Integer rank, Integer upvotes, String title,
            String arxivId, String doi, List<String> rawIdentifiers) {
    }

    /** A title fingerprint the paper answers to, the sighting that first brought it, and whether it is the current one. */
    public record TitleRow(String title, String fingerprint, String eventId, String source, Instant firstSeenAt, boolean current,
            List<String> rawIdentifiers) {
    }

    /** A paper that was absorbed into another, and when. */
    public record MergeRow(UUID paperId, Instant mergedAt) {
    }

    /** Where a page starts: after the paper with this sort key (a score or a last-seen time) and id. */
    public record After(Object key, UUID id) {
    }

    private final AgroalDataSource db;
    private final ObjectMapper json;

    public PaperReads(AgroalDataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** How a page is ordered: by the search's rank, the trending score, or when last seen; each newest or best first. */
    public enum Order {
        RELEVANCE("t.relevance"), TRENDING("t.score"), RECENT("t.last_seen_at");

        final String key;

        Order(String key) {
            this.key = key;
        }
    }

    /** Up to {@code limit} papers matching the filter, in the order asked, after the cursor's paper if one is given. */
    public List<PaperRow> page(Order order, Instant now, PaperFilter filter, After after, int limit) {
        PaperFilter.Sql where = filter.where(FILTERED);
        PaperFilter.Sql rank = filter.rank(FILTERED);
        StringBuilder sql = new StringBuilder("select * from (select t0.*, ").append(rank.text()).append(" as relevance from (select ")
                .append(COLUMNS).append(", ").append(TrendingScore.SQL)
                .append(" as score, p.authors as authors_j, p.categories as categories_j, ").append(from(filter)).append(") t0 where ")
                .append(where.text()).append(") t");
        // In the order of the text: the rank's keywords (outer select), the score's "now" (inner select), the filter's.
        List<Object> params = new ArrayList<>(rank.params());
        params.add(ts(now));
        params.addAll(where.params());
        String key = order.key;
        if (after != null) {
            sql.append(" where (").append(key).append(" < ? or (").append(key).append(" = ? and t.id > ?))");
            Object k = after.key() instanceof Instant i ? ts(i) : after.key();
            params.add(k);
            params.add(k);
            params.add(after.id());
        }
        sql.append(" order by ").append(key).append(" desc, t.id limit ?");
        params.add(limit);
        return query("cannot read papers", sql.toString(), params, this::paper);
    }

    /** How many papers match the filter (all of them with an empty one). */
    public long count(Instant now, PaperFilter filter) {
        if (filter.isEmpty()) {
            return query("cannot count papers", "select count(*) from paper", List.of(), rs -> rs.getLong(1)).get(0);
        }
        PaperFilter.Sql where = filter.where(FILTERED);
        List<Object> params = new ArrayList<>();
        params.add(ts(now));
        params.addAll(where.params());
        return query("cannot count papers", "select count(*) from (select " + TrendingScore.SQL + " as score, p.authors as authors_j,"
                + " p.categories as categories_j, " + from(filter) + ") t0 where " + where.text(), params, rs -> rs.getLong(1)).get(0);
    }

    /** The search documents are joined only when the filter searches words: a plain list reads the paper table alone. */
    private static String from(PaperFilter filter) {
        return filter.keywords().isEmpty() && filter.excluded().isEmpty() ? "null::tsvector as document from paper p"
                : "s.document from paper p join paper_search s on s.paper_id = p.id";
    }

    /** The papers absorbed into this one, oldest merge first. */
    public List<MergeRow> merges(UUID paperId) {
        return query("cannot read merges into " + paperId, "select id, merged_at from merged_paper where merged_into = ? order by merged_at, id",
                List.of(paperId), rs -> new MergeRow(rs.getObject(1, UUID.class), instant(rs, 2)));
    }

    /** The sources each paper was seen on, sorted. */
    public Map<UUID, List<String>> sources(List<UUID> ids) {
        Map<UUID, List<String>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                """
                select p.id, c.source from paper p, jsonb_to_recordset(p.source_counts) as c(source text)
                where p.id = any(?) order by p.id, c.source collate "C"
                """)) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read sources of papers: " + e.getMessage(), e);
        }
    }

    public Optional<PaperRow> find(UUID id, Instant now) {
        String sql = "select " + COLUMNS + ", " + TrendingScore.SQL + " as score, 0::float8 as relevance from paper p where p.id = ?";
        return query("cannot read paper " + id, sql, List.of(ts(now), id), this::paper).stream().findFirst();
    }

    /** The paper's sightings in the order they were observed. */
    public List<SightingRow> sightings(UUID paperId) {
        return query("cannot read sightings of " + paperId, "select event_id, source, observed_at, listing_rank, upvotes, title, "
                + "arxiv_id, doi, raw_identifiers::text from sighting where paper_id = ? order by observed_at, event_id",
                List.of(paperId), rs -> new SightingRow(rs.getString(1), rs.getString(2), instant(rs, 3), (Integer) rs.getObject(4),
                        (Integer) rs.getObject(5), rs.getString(6), rs.getString(7), rs.getString(8), strings(rs.getString(9))));
    }

    /** Every title fingerprint the paper answers to, oldest first. */
    public List<TitleRow> titles(UUID paperId) {
        return query("cannot read titles of " + paperId, """
                        select t.title, t.fingerprint, t.event_id, t.source, t.first_seen_at, t.fingerprint = p.title_fingerprint,
                               coalesce(s.raw_identifiers::text, '[]')
                        from paper_title t join paper p on p.id = t.paper_id left join sighting s on s.event_id = t.event_id
                        where t.paper_id = ? order by t.first_seen_at, t.fingerprint""", List.of(paperId),
                rs -> new TitleRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                        rs.getBoolean(6), strings(rs.getString(7))));
    }

    /** The paper an absorbed id was merged into, if it was (merges re-point older merges, so one hop suffices). */
    public Optional<UUID> mergedInto(UUID id) {
        return query("cannot look up merges of " + id, "select merged_into from merged_paper where id = ?", List.of(id),
                rs -> rs.getObject(1, UUID.class)).stream().findFirst();
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String what, String sql, List<Object> params, RowReader<T> reader) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            new PaperFilter.Sql(sql, params).bind(c, ps, 1);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    private PaperRow paper(ResultSet rs) throws SQLException {
        return new PaperRow(rs.getObject("id", UUID.class), rs.getLong("revision"), rs.getString("arxiv_id"), rs.getString("doi"),
                rs.getString("title"), rs.getString("abstract"), strings(rs.getString(7)), strings(rs.getString(8)),
                rs.getObject("first_seen_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_seen_at", OffsetDateTime.class).toInstant(), rs.getInt("sightings"), rs.getInt("upvotes"),
                rs.getDouble("score"), rs.getDouble("relevance"));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime ts(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private List<String> strings(String jsonArray) {
        try {
            return jsonArray == null ? List.of() : json.readValue(jsonArray, STRINGS);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getMessage(), e);
        }
    }
}
