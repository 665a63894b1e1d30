package io.paperwire.support.search;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paperwire's one filter language, shared by search (the site and {@code GET /api/v1/papers?q=}), digests, feeds and
 * webhooks, so that a filter means the same wherever it is written. Words match words, stemmed in English
 * (PostgreSQL full text), never substrings: "RL" matches "RL" and "reinforcement learning (RL)", never "world".
 *
 * <ul>
 * <li>{@code keywords}: a paper needs one of them. Each is a web search: its words must all be there, {@code "a
 * phrase"} in quotes, {@code or} between alternatives, {@code -word} to rule a word out.</li>
 * <li>{@code excluded}: read the same way; a paper matching any of them is left out.</li>
 * <li>{@code authors}: a paper needs an author whose name holds every word of one of them ("hinton", "Geoffrey Hinton").</li>
 * <li>{@code categories}: a paper needs one of them, exactly ({@code cs.LG}).</li>
 * <li>{@code minScore}: the trending score at least this.</li>
 * </ul>
 *
 * A search box writes the same filter as one line: free text (one keyword) with {@code author:name},
 * {@code author:"first last"} and {@code category:cs.LG} (or {@code cat:}); see {@link #parseQuery}.
 */
public record PaperFilter(List<String> keywords, List<String> excluded, List<String> authors, List<String> categories,
        double minScore) {

    public static final int MAX_TERMS = 20;
    public static final int MAX_QUERY_LENGTH = 300;
    public static final PaperFilter NONE = new PaperFilter(List.of(), List.of(), List.of(), List.of(), 0);

    private static final Pattern FIELD = Pattern.compile("(?i)(?<![\\p{L}\\p{N}])(author|category|cat):(\"([^\"]*)\"|(\\S+))");

    public PaperFilter {
        keywords = terms("keywords", keywords);
        excluded = terms("excluded keywords", excluded);
        authors = terms("authors", authors);
        categories = terms("categories", categories);
        if (minScore < 0 || Double.isNaN(minScore) || Double.isInfinite(minScore)) {
            throw new InvalidFilterException("the minimum score must be a number of at least 0");
        }
    }

    /**
     * The English full-text document of a title and an abstract (SQL expressions), title words weighted above the
     * abstract's: what keywords match and rank against. notify's read model generates the same (its V5 migration).
     */
    public static String document(String title, String abstractText) {
        return "setweight(to_tsvector('english', " + title + "), 'A') || setweight(to_tsvector('english', coalesce(" + abstractText
                + ", '')), 'B')";
    }

    /** Keywords alone, as a search API is asked. */
    public static PaperFilter words(String query) {
        return query == null || query.isBlank() ? NONE : new PaperFilter(List.of(query), List.of(), List.of(), List.of(), 0);
    }

    /**
     * A search box's line: {@code author:} and {@code category:} (or {@code cat:}) terms become those filters, the rest
     * is one keyword search ({@code "diffusion" -video author:"Yann LeCun" cat:cs.CV}).
     */
    public static PaperFilter parseQuery(String query) {
        if (query == null || query.isBlank()) {
            return NONE;
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            throw new InvalidFilterException("a search may have at most " + MAX_QUERY_LENGTH + " characters");
        }
        List<String> authors = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        Matcher m = FIELD.matcher(query);
        int last = 0;
        while (m.find()) {
            rest.append(query, last, m.start()).append(' ');
            last = m.end();
            String value = m.group(3) != null ? m.group(3) : m.group(4);
            (m.group(1).toLowerCase(Locale.ROOT).equals("author") ? authors : categories).add(value);
        }
        rest.append(query.substring(last));
        String words = rest.toString().strip().replaceAll("\\s+", " ");
        // Only exclusions would have every paper read to find what lacks them: a search needs something to look for.
        if (!words.isEmpty() && authors.isEmpty() && categories.isEmpty()
                && java.util.Arrays.stream(words.split(" ")).allMatch(t -> t.startsWith("-") || t.equalsIgnoreCase("or"))) {
            throw new InvalidFilterException("a search needs a word to look for, not only words to leave out");
        }
        return new PaperFilter(words.isEmpty() ? List.of() : List.of(words), List.of(), authors, categories, 0);
    }

    public boolean isEmpty() {
        return keywords.isEmpty() && excluded.isEmpty() && authors.isEmpty() && categories.isEmpty() && minScore == 0;
    }

    /**
     * Back to a search box's line, which {@link #parseQuery} reads as this same filter when it has at most one keyword
     * and no exclusions or minimum score (a line has one keyword; more are joined by spaces, all then needed).
     */
    public String toQuery() {
        List<String> parts = new ArrayList<>(keywords);
        authors.forEach(a -> parts.add("author:" + (a.contains(" ") ? '"' + a + '"' : a)));
        categories.forEach(c -> parts.add("category:" + c));
        return String.join(" ", parts);
    }

    /**
     * The SQL expressions of the table a filter is applied to: its English full-text document ({@code tsvector}),
     * its authors and categories (JSON arrays of strings) and its score.
     */
    public record Columns(String document, String authors, String categories, String score) {
    }

    /** A piece of SQL and the values of its {@code ?}, in order; {@code String[]} values are bound as {@code text[]}. */
    public record Sql(String text, List<Object> params) {

        /** Binds the parameters from position {@code first}; returns the next free position. */
        public int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
            int i = first;
            for (Object p : params) {
                ps.setObject(i++, p instanceof String[] a ? c.createArrayOf("text", a) : p);
            }
            return i;
        }
    }

    /** The condition a row must meet, to be joined with {@code and}; {@code true} for an empty filter. */
    public Sql where(Columns c) {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        // Each list of searches is one tsquery (the searches OR-ed) compared with the document directly, so that
        // PostgreSQL can answer it from the document's GIN index.
        if (!keywords.isEmpty()) {
            parts.add(c.document() + " @@ " + anyOf(keywords.size()));
            params.addAll(keywords);
        }
        if (!excluded.isEmpty()) {
            parts.add("not (" + c.document() + " @@ " + anyOf(excluded.size()) + ")");
            params.addAll(excluded);
        }
        if (!authors.isEmpty()) {
            parts.add("exists (select 1 from jsonb_array_elements_text(" + c.authors() + ") a, unnest(?::text[]) q"
                    + " where to_tsvector('simple', a) @@ plainto_tsquery('simple', q))");
            params.add(authors.toArray(String[]::new));
        }
        if (!categories.isEmpty()) {
            parts.add("jsonb_exists_any(" + c.categories() + ", ?::text[])");
            params.add(categories.toArray(String[]::new));
        }
        if (minScore > 0) {
            parts.add(c.score() + " >= ?");
            params.add(minScore);
        }
        return new Sql(parts.isEmpty() ? "true" : "(" + String.join(" and ", parts) + ")", params);
    }

    /**
     * How well a row answers the keywords (PostgreSQL's cover density rank of any of them, title words weigh more than
     * the abstract's); {@code 0} without keywords.
     */
    public Sql rank(Columns c) {
        if (keywords.isEmpty()) {
            return new Sql("0::float8", List.of());
        }
        // As double precision: a rank is a cursor's key, and a real's value does not survive the trip through text.
        return new Sql("ts_rank_cd(" + c.document() + ", " + anyOf(keywords.size()) + ")::float8", List.copyOf(keywords));
    }

    /**
     * The words to mark in what a reader is shown (an SQL {@code tsquery}): every keyword's, as alternatives, or
     * {@code null} text without keywords. Only for marking: what matches is {@link #where}'s to decide.
     */
    public Sql highlight() {
        if (keywords.isEmpty()) {
            return new Sql(null, List.of());
        }
        return new Sql(anyOf(keywords.size()), List.copyOf(keywords));
    }

    /** {@code n} web searches as one tsquery: any of them. */
    private static String anyOf(int n) {
        List<String> q = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            q.add("websearch_to_tsquery('english', ?)");
        }
        return "(" + String.join(" || ", q) + ")";
    }

    private static List<String> terms(String field, List<String> values) {
        return terms(values, MAX_QUERY_LENGTH, tooLong -> new InvalidFilterException(tooLong
                ? "each of the " + field + " may have at most " + MAX_QUERY_LENGTH + " characters"
                : "at most " + MAX_TERMS + " " + field + " may be given"));
    }

    /** The caller's refusal of a term list: a term too long ({@code true}), or too many terms. */
    public interface Refusal {
        RuntimeException of(boolean tooLong);
    }

    /**
     * A list of terms as filters keep it: stripped, blanks and repeats dropped, in order; a term longer than
     * {@code maxLength} or more than {@link #MAX_TERMS} terms are refused with the caller's exception.
     */
    public static List<String> terms(List<String> values, int maxLength, Refusal refusal) {
        if (values == null) {
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || v.isBlank()) {
                continue;
            }
            String t = v.strip();
            if (t.length() > maxLength) {
                throw refusal.of(true);
            }
            out.add(t);
        }
        if (out.size() > MAX_TERMS) {
            throw refusal.of(false);
        }
        return List.copyOf(out);
    }
}
