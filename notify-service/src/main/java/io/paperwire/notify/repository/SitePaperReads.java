package io.paperwire.notify.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
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
import java.util.List;
import java.util.Optional;

/**
 * The public site's reads of the read model, in plain SQL on one pooled connection each: the papers seen in a period,
 * a search in the filter language (ranked, with the matched words marked), one paper.
 */
@ApplicationScoped
public class SitePaperReads {

    /** The attention a paper had, in the order a reader can check against its rank reason. */
    private static final String BY_ATTENTION =
            "v.upvotes desc, jsonb_array_length(v.sources) desc, v.sightings desc, v.score desc, v.paper_id";

    /** The matches of a search that are ranked: the most trending this many. */
    public static final int CANDIDATES = 1000;
    private static final PaperFilter.Columns CANDIDATE = new PaperFilter.Columns("w.document", "w.authors", "w.categories", "w.score");

    private final AgroalDataSource db;
    private final ObjectMapper json;

    public SitePaperReads(AgroalDataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Papers listed during [start, end) (first seen before its end, last seen after its start), most attention first. */
    public List<PaperRow> seenBetween(Instant start, Instant end, int offset, int limit) {
        return query("select " + PaperRow.COLUMNS + ", null, null from paper_view v where v.last_seen_at >= ? and v.first_seen_at < ? order by "
                + BY_ATTENTION + " offset ? limit ?", List.of(ts(start), ts(end), offset, limit));
    }

    /** How many papers were listed during [start, end), counted up to one more than {@code cap}. */
    public long countSeenBetween(Instant start, Instant end, int cap) {
        return count("select count(*) from (select 1 from paper_view v where v.last_seen_at >= ? and v.first_seen_at < ? limit ?) m",
                List.of(ts(start), ts(end), cap + 1));
    }

    /** When the latest paper was last seen, if any paper is known. */
    public Optional<Instant> lastSeen() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("select max(last_seen_at) from paper_view");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
            return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the read model: " + e.getMessage(), e);
        }
    }

    /**
     * Papers matching the filter, best answer first (full-text rank, then the trending score), each with the part of its
     * abstract that matched.
     */
    public List<PaperRow> search(PaperFilter filter, int offset, int limit) {
        PaperFilter.Sql where = filter.where(DigestCandidates.COLUMNS);
        PaperFilter.Sql rank = filter.rank(CANDIDATE);
        PaperFilter.Sql marked = PaperRow.marked(filter.highlight());
        // In the order of the text: the marks (outer select), the rank (middle select), the filter (inner), the page.
        List<Object> params = new ArrayList<>(marked.params());
        params.addAll(rank.params());
        params.addAll(where.params());
        params.add(offset);
        params.add(limit);
        // A broad search matches a large part of the catalogue; ranking every match costs its whole length. The most
        // trending CANDIDATES matches are ranked, and the marks made only for the page's own papers.
        return query("select " + PaperRow.COLUMNS + ", " + marked.text() + " from (select w.*, " + rank.text() + " as relevance"
                + " from (select * from paper_view v where " + where.text() + " order by v.score desc, v.paper_id limit " + CANDIDATES
                + ") w order by relevance desc, w.score desc, w.paper_id offset ? limit ?) v order by v.relevance desc, v.score desc,"
                + " v.paper_id", params);
    }

    /** How many papers match, counted up to one more than {@link #CANDIDATES}: beyond, "more than" is all a reader needs. */
    public long countMatching(PaperFilter filter) {
        PaperFilter.Sql where = filter.where(DigestCandidates.COLUMNS);
        return count("select count(*) from (select 1 from paper_view v where " + where.text() + " limit " + (CANDIDATES + 1) + ") m",
                where.params());
    }

    public Optional<PaperRow> find(String paperId) {
        return query("select " + PaperRow.COLUMNS + ", null, null from paper_view v where v.paper_id = ?", List.of(paperId)).stream().findFirst();
    }

    private List<PaperRow> query(String sql, List<Object> params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            new PaperFilter.Sql(sql, params).bind(c, ps, 1);
            List<PaperRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(PaperRow.read(rs, json));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read papers for the site: " + e.getMessage(), e);
        }
    }

    private long count(String sql, List<Object> params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            new PaperFilter.Sql(sql, params).bind(c, ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count papers for the site: " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime ts(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
