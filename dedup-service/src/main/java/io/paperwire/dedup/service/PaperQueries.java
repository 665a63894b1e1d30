package io.paperwire.dedup.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.paperwire.dedup.repository.PaperReads.PaperRow;
import io.paperwire.dedup.repository.PaperReads;
import io.paperwire.support.search.PaperFilter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The papers API's reads: full-text search, trending or recent order, and keyset pagination whose opaque cursor
 * carries the ranking's "now", so page two continues page one's order even as scores decay. The SQL is
 * {@link PaperReads}'; this decides what is asked and shapes the answer.
 */
@ApplicationScoped
public class PaperQueries {

    private final PaperReads reads;
    private final Clock clock;

    public PaperQueries(PaperReads reads, Clock clock) {
        this.reads = reads;
        this.clock = clock;
    }

    /** How a list is ordered. */
    public enum Sort {
        RELEVANCE(PaperReads.Order.RELEVANCE), TRENDING(PaperReads.Order.TRENDING), RECENT(PaperReads.Order.RECENT);

        final PaperReads.Order order;

        Sort(PaperReads.Order order) {
            this.order = order;
        }

        /** The sort asked for; without one, the best answers to a search first, else trending. */
        static Sort parse(String s, PaperFilter filter) {
            if (s == null || s.isBlank()) {
                return filter.keywords().isEmpty() ? TRENDING : RELEVANCE;
            }
            try {
                return valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidPaperQueryException(InvalidPaperQueryException.Part.SORT,
                        "sort must be 'relevance', 'trending' or 'recent' (got '" + s + "').");
            }
        }

        boolean keyedByNumber() {
            return this != RECENT;
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
            List<SightingView> sightingHistory, List<Evidence> evidence, List<Merge> merges) {
    }

    /** A paper found to be this one and folded into it, and when. */
    public record Merge(String paperId, Instant mergedAt) {
    }

    /** One sighting: where and when, what it showed. */
    public record SightingView(String eventId, String source, Instant observedAt, Integer rank, Integer upvotes,
            String title) {
    }

    /** An identifier of the paper and the sighting that brought it, with the raw strings the source wrote. */
    public record Evidence(String kind, String value, String eventId, String source, Instant observedAt,
            List<String> rawIdentifiers) {
    }

    /**
     * A page of papers matching {@code q}, a search in the filter language ({@link PaperFilter#parseQuery}: words,
     * "phrases", or, -word, author:, category:), the same as the site's search box.
     */
    public PaperPage list(String sortParam, String q, int limit, String cursorParam) {
        PaperFilter filter = PaperFilter.parseQuery(q);
        Sort sort = Sort.parse(sortParam, filter);
        Cursor cursor = cursorParam == null || cursorParam.isBlank() ? null : Cursor.decode(cursorParam, sort);
        Instant now = cursor != null ? cursor.now : clock.instant();
        PaperReads.After after = cursor == null ? null
                : new PaperReads.After(sort.keyedByNumber() ? (Object) Double.parseDouble(cursor.key) : Instant.parse(cursor.key), cursor.id);
        List<PaperRow> rows = reads.page(sort.order, now, filter, after, limit + 1);
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            PaperRow last = rows.get(limit - 1);
            String lastKey = switch (sort) {
                case RELEVANCE -> Double.toString(last.relevance());
                case TRENDING -> Double.toString(last.score());
                case RECENT -> last.lastSeenAt().toString();
            };
            next = new Cursor(sort, now, lastKey, last.id()).encode();
        }
        Map<UUID, List<String>> sources = reads.sources(rows.stream().map(PaperRow::id).toList());
        List<PaperItem> items = rows.stream().map(r -> item(r, sources.getOrDefault(r.id(), List.of()))).toList();
        return new PaperPage(reads.count(now, filter), items, next);
    }

    public Optional<PaperDetail> detail(UUID id) {
        Optional<PaperRow> found = reads.find(id, clock.instant());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PaperRow row = found.get();
        List<SightingView> history = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        for (PaperReads.SightingRow s : reads.sightings(id)) {
            history.add(new SightingView(s.eventId(), s.source(), s.observedAt(), s.rank(), s.upvotes(), s.title()));
            if (s.arxivId() != null) {
                evidence.add(new Evidence("arxiv", s.arxivId(), s.eventId(), s.source(), s.observedAt(), s.rawIdentifiers()));
            }
            if (s.doi() != null) {
                evidence.add(new Evidence("doi", s.doi(), s.eventId(), s.source(), s.observedAt(), s.rawIdentifiers()));
            }
        }
        // Title evidence: every title fingerprint the paper answers to, and the sighting that first brought it.
        List<String> aliases = new ArrayList<>();
        for (PaperReads.TitleRow t : reads.titles(id)) {
            if (!t.current()) {
                aliases.add(t.title());
            }
            evidence.add(new Evidence("title", t.fingerprint(), t.eventId(), t.source(), t.firstSeenAt(), t.rawIdentifiers()));
        }
        PaperItem item = item(row, reads.sources(List.of(id)).getOrDefault(id, List.of()));
        List<Merge> merges = reads.merges(id).stream().map(m -> new Merge(m.paperId().toString(), m.mergedAt())).toList();
        return Optional.of(new PaperDetail(item, row.revision(), row.categories(), aliases, history, evidence, merges));
    }

    /** The paper an absorbed id was merged into, if it was. */
    public Optional<UUID> mergedInto(UUID id) {
        return reads.mergedInto(id);
    }

    private static PaperItem item(PaperRow r, List<String> sources) {
        return new PaperItem(r.id().toString(), r.arxivId(), r.doi(), r.title(), r.abstractText(), r.authors(), r.firstSeenAt(),
                r.lastSeenAt(), r.sightings(), sources, r.upvotes(), r.score());
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
                if (c.sort.keyedByNumber()) {
                    Double.parseDouble(c.key);
                } else {
                    Instant.parse(c.key);
                }
                return c;
            } catch (RuntimeException e) {
                throw new InvalidPaperQueryException(InvalidPaperQueryException.Part.CURSOR,
                        "cursor is not one this API gave for sort=" + expected.name().toLowerCase(Locale.ROOT)
                                + "; start again without it.");
            }
        }
    }
}
