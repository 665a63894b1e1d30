package io.paperwire.notify.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.events.Link;
import io.paperwire.support.search.PaperFilter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A paper of the read model as the site, digests and feeds show it; {@code titleMarked} and {@code snippet} hold the
 * title and the best part of the abstract with the words a filter matched between {@link #MARK_START} and
 * {@link #MARK_END} (null where nothing was searched for).
 */
public record PaperRow(String paperId, String arxivId, String doi, String title, String abstractText, List<String> authors,
        List<String> categories, List<String> titleAliases, List<String> sources, List<Link> links, double score, int upvotes,
        int sightings, Instant firstSeenAt, Instant lastSeenAt, Instant changedAt, String titleMarked, String snippet) {

    /** Marks the start and the end of a matched word; stripped from the text before PostgreSQL marks it. */
    public static final char MARK_START = '\u0001';
    public static final char MARK_END = '\u0002';

    /** The columns {@link #read} reads, of {@code paper_view v}; a query adds the two marked texts after them. */
    static final String COLUMNS = "v.paper_id, v.arxiv_id, v.doi, v.title, v.abstract, v.authors::text, v.categories::text, "
            + "v.title_aliases::text, v.sources::text, v.links::text, v.score, v.upvotes, v.sightings, v.first_seen_at, v.last_seen_at, "
            + "v.changed_at";
    /** An abstract this short is shown whole, as a snippet would be. */
    private static final int SHORT = 280;
    private static final String OPTIONS = "'StartSel=' || chr(1) || ', StopSel=' || chr(2)";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<Link>> LINKS = new TypeReference<>() { };

    /**
     * The title and the abstract's best fragments with the words of the tsquery {@code words} marked (two columns, and
     * their parameters); {@code null, null} without words.
     */
    static PaperFilter.Sql marked(PaperFilter.Sql words) {
        String query = words.text();
        if (query == null) {
            return new PaperFilter.Sql("null, null", List.of());
        }
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            params.addAll(words.params());
        }
        // A short abstract is shown whole; a long one by its best fragments (PostgreSQL picks them around the matches).
        String text = "translate(coalesce(v.abstract, ''), chr(1) || chr(2), '')";
        return new PaperFilter.Sql("ts_headline('english', translate(v.title, chr(1) || chr(2), ''), " + query + ", " + OPTIONS
                + " || ', HighlightAll=true'), "
                + "case when length(coalesce(v.abstract, '')) <= " + SHORT + " then ts_headline('english', " + text + ", " + query + ", "
                + OPTIONS + " || ', HighlightAll=true') else ts_headline('english', " + text + ", " + query + ", " + OPTIONS
                + " || ', MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') end", params);
    }

    static PaperRow read(ResultSet rs, ObjectMapper json) throws SQLException {
        return new PaperRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                list(json, rs.getString(6), STRINGS), list(json, rs.getString(7), STRINGS), list(json, rs.getString(8), STRINGS),
                list(json, rs.getString(9), STRINGS), list(json, rs.getString(10), LINKS), rs.getDouble(11), rs.getInt(12), rs.getInt(13),
                instant(rs, 14), instant(rs, 15), instant(rs, 16), rs.getString(17), rs.getString(18));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static <T> List<T> list(ObjectMapper json, String text, TypeReference<List<T>> type) {
        try {
            return text == null ? List.of() : json.readValue(text, type);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getMessage(), e);
        }
    }
}
