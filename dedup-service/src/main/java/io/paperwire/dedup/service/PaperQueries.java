package io.paperwire.dedup.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.paperwire.support.rest.Problem;
import io.paperwire.support.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The papers API's reads, in plain SQL: full-text search, trending or recent order, and keyset pagination whose
 * opaque cursor carries the ranking's "now", so page two continues page one's order even as scores decay.
 */
@ApplicationScoped
public class PaperQueries {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String COLUMNS = "p.id, p.revision, p.arxiv_id, p.doi, p.title, p.abstract, p.authors::text, "
            + "p.categories::text, p.first_seen_at, p.last_seen_at, p.sightings, p.upvotes";

    private final AgroalDataSource db;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public PaperQueries(AgroalDataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** How a list is ordered. */
    public enum Sort {
        TRENDING, RECENT;

        static Sort parse(String s) {
            try {
                return s == null ? TRENDING : valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Problem.of("invalid-sort", "Invalid sort", 400,
                        "sort must be 'trending' or 'recent' (got '" + s + "')."));
            }
        }
    }

    /** A paper in a list, exactly the fields DESIGN.md gives. */
    public record PaperItem(String id, String arxivId, String doi, String title, @JsonProperty("abstract") String abstractText,
            List<String> authors, Instant firstSeenAt, Instant lastSeenAt, int sightings, List<String> sources, int upvotes,
            double score) {
    }

    /** One page: how many papers match in all, this page's items, and the cursor of the next page (null at the end). */
    public record PaperPage(long total, List<PaperItem> items, String next) {
    }

    /** A paper with its revision, categories, the sightings that made it and which identifiers each contributed. */
    public record PaperDetail(@JsonUnwrapped PaperItem paper, long revision, List<String> categories, List<String> titleAliases,
            List<SightingView> sightingHistory, List<Evidence> evidence) {
    }

    /** One sighting: where and when, what it showed. */
    public record SightingView(String eventId, String source, Instant observedAt, Integer rank, Integer upvotes,
            String title) {
    }

    /** An identifier of the paper and the sighting that brought it, with the raw strings the source wrote. */
    public record Evidence(String kind, String value, String eventId, String source, Instant observedAt,
            List<String> rawIdentifiers) {
    }

    public PaperPage list(String sortParam, String q, int limit, String cursorParam) {
        Sort sort = Sort.parse(sortParam);
        Cursor cursor = cursorParam == null || cursorParam.isBlank() ? null : Cursor.decode(cursorParam, sort);
        Instant now = cursor != null ? cursor.now : clock.instant();
        String query = q == null || q.isBlank() ? null : q.strip();

        StringBuilder sql = new StringBuilder("select * from (select ").append(COLUMNS).append(", ")
                .append(TrendingScore.SQL).append(" as score from paper p");
        List<Object> params = new ArrayList<>();
        params.add(ts(now));
        if (query != null) {
            sql.append(" where p.id in (select paper_id from paper_search where document @@ websearch_to_tsquery('english', ?))");
            params.add(query);
        }
        sql.append(") t");
        String key = sort == Sort.TRENDING ? "t.score" : "t.last_seen_at";
        if (cursor != null) {
            sql.append(" where (").append(key).append(" < ? or (").append(key).append(" = ? and t.id > ?))");
            Object k = sort == Sort.TRENDING ? (Object) Double.parseDouble(cursor.key) : ts(Instant.parse(cursor.key));
            params.add(k);
            params.add(k);
            params.add(cursor.id);
        }
        sql.append(" order by ").append(key).append(" desc, t.id limit ?");
        params.add(limit + 1);

        try (Connection c = db.getConnection()) {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, sql.toString(), params); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            String next = null;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                Row last = rows.get(limit - 1);
                String lastKey = sort == Sort.TRENDING ? Double.toString(last.score) : last.lastSeenAt.toString();
                next = new Cursor(sort, now, lastKey, last.id).encode();
            }
            Map<UUID, List<String>> sources = sources(c, rows.stream().map(r -> r.id).toList());
            long total = count(c, query);
            List<PaperItem> items = rows.stream().map(r -> r.item(sources.getOrDefault(r.id, List.of()))).toList();
            return new PaperPage(total, items, next);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read papers: " + e.getMessage(), e);
        }
    }

    public Optional<PaperDetail> detail(UUID id) {
        String sql = "select " + COLUMNS + ", " + TrendingScore.SQL + " as score from paper p where p.id = ?";
        try (Connection c = db.getConnection()) {
            Row row;
            try (PreparedStatement ps = prepare(c, sql, List.of(ts(clock.instant()), id)); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                row = row(rs);
            }
            List<SightingView> history = new ArrayList<>();
            List<Evidence> evidence = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "select event_id, source, observed_at, listing_rank, upvotes, title, arxiv_id, doi, "
                    + "raw_identifiers::text from sighting where paper_id = ? order by observed_at, event_id", List.of(id));
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String eventId = rs.getString(1);
                    String source = rs.getString(2);
                    Instant at = rs.getObject(3, OffsetDateTime.class).toInstant();
                    history.add(new SightingView(eventId, source, at, (Integer) rs.getObject(4), (Integer) rs.getObject(5), rs.getString(6)));
                    List<String> raw = strings(rs.getString(9));
                    if (rs.getString(7) != null) {
                        evidence.add(new Evidence("arxiv", rs.getString(7), eventId, source, at, raw));
                    }
                    if (rs.getString(8) != null) {
                        evidence.add(new Evidence("doi", rs.getString(8), eventId, source, at, raw));
                    }
                }
            }
            // Title evidence: every title fingerprint the paper answers to, and the sighting that first brought it.
            List<String> aliases = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, """
                    select t.title, t.fingerprint, t.event_id, t.source, t.first_seen_at, t.fingerprint = p.title_fingerprint,
                           coalesce(s.raw_identifiers::text, '[]')
                    from paper_title t join paper p on p.id = t.paper_id left join sighting s on s.event_id = t.event_id
                    where t.paper_id = ? order by t.first_seen_at, t.fingerprint""", List.of(id));
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(6)) {
                        aliases.add(rs.getString(1));
                    }
                    evidence.add(new Evidence("title", rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), strings(rs.getString(7))));
                }
            }
            PaperItem item = row.item(sources(c, List.of(id)).getOrDefault(id, List.of()));
            return Optional.of(new PaperDetail(item, row.revision, row.categories, aliases, history, evidence));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read paper " + id + ": " + e.getMessage(), e);
        }
    }

    /** The paper an absorbed id was merged into, if it was (merges re-point older merges, so one hop suffices). */
    public Optional<UUID> mergedInto(UUID id) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = prepare(c, "select merged_into from merged_paper where id = ?", List.of(id));
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up merges of " + id + ": " + e.getMessage(), e);
        }
    }

    private long count(Connection c, String query) throws SQLException {
        String sql = "select count(*) from paper p" + (query == null ? ""
                : " where p.id in (select paper_id from paper_search where document @@ websearch_to_tsquery('english', ?))");
        try (PreparedStatement ps = prepare(c, sql, query == null ? List.of() : List.of(query)); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<UUID, List<String>> sources(Connection c, List<UUID> ids) throws SQLException {
        Map<UUID, List<String>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select paper_id, source from paper_source where paper_id = any(?) order by paper_id, source")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }

    private static OffsetDateTime ts(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getLong("revision"), rs.getString("arxiv_id"), rs.getString("doi"),
                rs.getString("title"), rs.getString("abstract"), strings(rs.getString(7)), strings(rs.getString(8)),
                rs.getObject("first_seen_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_seen_at", OffsetDateTime.class).toInstant(), rs.getInt("sightings"), rs.getInt("upvotes"),
                rs.getDouble("score"));
    }

    private List<String> strings(String jsonArray) {
        try {
            return jsonArray == null ? List.of() : json.readValue(jsonArray, STRINGS);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getMessage(), e);
        }
    }

    private record Row(UUID id, long revision, String arxivId, String doi, String title, String abstractText,
            List<String> authors, List<String> categories, Instant firstSeenAt, Instant lastSeenAt, int sightings,
            int upvotes, double score) {

        PaperItem item(List<String> sources) {
            return new PaperItem(id.toString(), arxivId, doi, title, abstractText, authors, firstSeenAt, lastSeenAt,
                    sightings, sources, upvotes, score);
        }
    }

    /** The opaque cursor: sort, the ranking's now, and the last item's sort key and id. */
    private record Cursor(Sort sort, Instant now, String key, UUID id) {

        String encode() {
            String raw = sort + "|" + now + "|" + key + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String s, Sort expected) {
            try {
                String[] p = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8).split("\\|", 4);
                Cursor c = new Cursor(Sort.valueOf(p[0]), Instant.parse(p[1]), p[2], UUID.fromString(p[3]));
                if (c.sort != expected) {
                    throw new IllegalArgumentException("cursor of another sort");
                }
                // The key is read as the sort's type now, not later in the query: a tampered key must be a 400 too.
                if (c.sort == Sort.TRENDING) {
                    Double.parseDouble(c.key);
                } else {
                    Instant.parse(c.key);
                }
                return c;
            } catch (RuntimeException e) {
                throw new ProblemException(Problem.of("invalid-cursor", "Invalid cursor", 400,
                        "cursor is not one this API gave for sort=" + expected.name().toLowerCase(Locale.ROOT)
                                + "; start again without it."));
            }
        }
    }
}
