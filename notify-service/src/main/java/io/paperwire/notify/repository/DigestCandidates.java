package io.paperwire.notify.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.paperwire.support.search.PaperFilter;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The papers a subscription's digest may hold, selected in one SQL statement: changed in the read model since its
 * last digest (new, or newly trending), matching its filters, never sent to it before, best score first.
 */
@ApplicationScoped
public class DigestCandidates {

    /** A paper as a digest needs it: the read model's row, with the words its filter matched marked. */
    public record Candidate(PaperRow paper) {

        public String paperId() {
            return paper.paperId();
        }

        public String arxivId() {
            return paper.arxivId();
        }

        public String title() {
            return paper.title();
        }

        public String abstractText() {
            return paper.abstractText();
        }

        public List<String> authors() {
            return paper.authors();
        }

        public int upvotes() {
            return paper.upvotes();
        }

        public int sightings() {
            return paper.sightings();
        }

        public Instant changedAt() {
            return paper.changedAt();
        }
    }

    /** The read model's columns, as the filter language names them. */
    public static final PaperFilter.Columns COLUMNS = new PaperFilter.Columns("v.document", "v.authors", "v.categories", "v.score");

    private final AgroalDataSource db;
    private final ObjectMapper json;

    public DigestCandidates(AgroalDataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A digest's papers: only those never sent to this subscription. */
    public List<Candidate> select(UUID subscription, Instant since, PaperFilter filter, int limit) {
        return select(subscription, true, since, filter, limit);
    }

    /**
     * As for a digest; {@code unsent} false keeps papers already sent (a feed shows them again). What the filter
     * means is {@link PaperFilter}'s, the one filter language of search, digests, feeds and webhooks.
     */
    public List<Candidate> select(UUID subscription, boolean unsent, Instant since, PaperFilter filter, int limit) {
        PaperFilter.Sql where = filter.where(COLUMNS);
        PaperFilter.Sql marked = PaperRow.marked(filter.highlight());
        String sql = """
                select %s, %s
                from paper_view v
                where v.changed_at >= ?
                  and (not ? or not exists (select 1 from digest_sent s where s.subscription_id = ? and s.paper_id = v.paper_id))
                  and %s
                order by v.score desc, v.last_seen_at desc, v.paper_id
                limit ?""".formatted(PaperRow.COLUMNS, marked.text(), where.text());
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = marked.bind(c, ps, 1);
            ps.setTimestamp(i++, Timestamp.from(since));
            ps.setBoolean(i++, unsent);
            ps.setObject(i++, subscription);
            i = where.bind(c, ps, i);
            ps.setInt(i, limit);
            List<Candidate> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Candidate(PaperRow.read(rs, json)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot select digest papers: " + e.getMessage(), e);
        }
    }

    /**
     * These papers, in this order, as they are now, with the filter's words marked: what a digest marked for sending
     * carries when it is sent again. A paper that is gone since (merged into another) is left out.
     */
    public List<Candidate> byIds(List<String> paperIds, PaperFilter filter) {
        PaperFilter.Sql marked = PaperRow.marked(filter.highlight());
        String sql = "select " + PaperRow.COLUMNS + ", " + marked.text() + " from paper_view v where v.paper_id = any(?)";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = marked.bind(c, ps, 1);
            ps.setArray(i, c.createArrayOf("text", paperIds.toArray()));
            Map<String, Candidate> found = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new Candidate(PaperRow.read(rs, json)));
                }
            }
            return paperIds.stream().map(found::get).filter(Objects::nonNull).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the papers of a digest: " + e.getMessage(), e);
        }
    }
}
