package io.paperwire.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bounds of every field of a sighting and of a paper's consolidated state, in one place: ingest rejects an entry
 * over a bound, dedup dead-letters a sighting over a bound that reached the topic some other way, and the caps on
 * what a paper accumulates keep its state far below the topic's record limit however many sightings it gets.
 * Lengths count UTF-16 characters, as Java and the JSON Schemas do.
 */
public final class SightingLimits {

    public static final int TITLE = 500;
    public static final int ABSTRACT = 10_000;
    /** Names kept per sighting; ingest keeps the first ones of a longer list (large collaborations are real papers). */
    public static final int AUTHORS = 500;
    public static final int AUTHOR = 200;
    public static final int CATEGORIES = 20;
    public static final int CATEGORY = 64;
    public static final int LINKS = 20;
    public static final int LINK_HREF = 2_048;
    public static final int LINK_REL = 32;
    public static final int KEYWORDS = 50;
    public static final int KEYWORD = 100;
    public static final int RAW_IDENTIFIERS = 20;
    public static final int RAW_IDENTIFIER = 300;
    public static final int SOURCE = 64;

    /** Caps on what a consolidated paper accumulates from all its sightings: the first ones seen are kept. */
    public static final int STATE_TITLE_ALIASES = 20;
    public static final int STATE_CATEGORIES = 30;
    public static final int STATE_LINKS = 30;
    public static final int STATE_SOURCES = 50;

    /**
     * The largest a consolidated state can serialise to, whatever its text (every character at its widest in UTF-8
     * and in JSON escaping), with room for the fixed fields. Under Kafka's default 1 MiB record limit.
     */
    public static final int STATE_MAX_BYTES = 900 * 1024;

    private SightingLimits() {
    }

    /** The first bound {@code s} breaks or the first text field with a character that is not clean, or null. */
    public static String violation(PaperSighted s) {
        String v = text("source", s.source(), SOURCE);
        v = v != null ? v : text("title", s.title(), TITLE);
        v = v != null ? v : text("titleFingerprint", s.titleFingerprint(), TITLE);
        v = v != null ? v : text("abstract", s.abstractText(), ABSTRACT);
        v = v != null ? v : text("arxivId", s.arxivId(), RAW_IDENTIFIER);
        v = v != null ? v : text("doi", s.doi(), RAW_IDENTIFIER);
        v = v != null ? v : list("authors", s.authors(), AUTHORS, AUTHOR);
        v = v != null ? v : list("categories", s.categories(), CATEGORIES, CATEGORY);
        v = v != null ? v : list("keywords", s.keywords(), KEYWORDS, KEYWORD);
        v = v != null ? v : list("rawIdentifiers", s.rawIdentifiers(), RAW_IDENTIFIERS, RAW_IDENTIFIER);
        if (v == null && s.links().size() > LINKS) {
            v = "links has " + s.links().size() + " items, more than " + LINKS;
        }
        for (int i = 0; v == null && i < s.links().size(); i++) {
            v = text("links[" + i + "].rel", s.links().get(i).rel(), LINK_REL);
            v = v != null ? v : text("links[" + i + "].href", s.links().get(i).href(), LINK_HREF);
        }
        return v;
    }

    /**
     * {@code s} with at most {@link #AUTHORS} authors, the first ones: a sighting from before ingest cut long author
     * lists (or from another producer) is consolidated rather than dead-lettered for them.
     */
    public static PaperSighted withAuthorsCut(PaperSighted s) {
        if (s.authors().size() <= AUTHORS) {
            return s;
        }
        return new PaperSighted(s.source(), s.sourceKind(), s.observedAt(), s.listingDate(), s.rank(), s.arxivId(), s.doi(),
                s.titleFingerprint(), s.rawIdentifiers(), s.title(), s.abstractText(), s.authors().subList(0, AUTHORS), s.categories(),
                s.upvotes(), s.links(), s.keywords());
    }

    /**
     * The first text field of a consolidated state holding a NUL, or null. A reader of {@code paper.consolidated.v1}
     * that stores states in PostgreSQL checks this: dedup publishes only clean text, but the topic is open to any
     * producer, and PostgreSQL refuses NUL for ever. (Other controls are stored; pages and feeds deal with them.)
     */
    public static String fieldWithNul(PaperConsolidated p) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("paperId", p.paperId());
        texts.put("titleFingerprint", p.titleFingerprint());
        texts.put("title", p.title());
        texts.put("abstract", p.abstractText());
        texts.put("arxivId", p.arxivId());
        texts.put("doi", p.doi());
        for (int i = 0; i < p.authors().size(); i++) {
            texts.put("authors[" + i + "]", p.authors().get(i));
        }
        for (int i = 0; i < p.categories().size(); i++) {
            texts.put("categories[" + i + "]", p.categories().get(i));
        }
        for (int i = 0; i < p.titleAliases().size(); i++) {
            texts.put("titleAliases[" + i + "]", p.titleAliases().get(i));
        }
        for (int i = 0; i < p.sources().size(); i++) {
            texts.put("sources[" + i + "]", p.sources().get(i));
        }
        for (int i = 0; i < p.links().size(); i++) {
            texts.put("links[" + i + "]", p.links().get(i).href());
        }
        for (var t : texts.entrySet()) {
            if (t.getValue() != null && t.getValue().indexOf('\u0000') >= 0) {
                return t.getKey();
            }
        }
        return null;
    }

    private static String list(String name, List<String> values, int maxItems, int maxLength) {
        if (values == null) {
            return null;
        }
        if (values.size() > maxItems) {
            return name + " has " + values.size() + " items, more than " + maxItems;
        }
        for (int i = 0; i < values.size(); i++) {
            String v = text(name + "[" + i + "]", values.get(i), maxLength);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String text(String name, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            return name + " has " + value.length() + " characters, more than " + maxLength;
        }
        int bad = firstUnclean(value);
        return bad < 0 ? null : name + " has a character that is not allowed at " + bad
                + String.format(" (U+%04X)", (int) value.charAt(bad));
    }

    /**
     * The index of the first character a stored or published text must not hold, or -1: C0 control characters other
     * than tab, line feed and carriage return, unpaired surrogates and the noncharacters U+FFFE and U+FFFF. PostgreSQL
     * refuses NUL, XML 1.0 refuses the other C0 controls and the noncharacters, and an unpaired surrogate is not text
     * at all. (Ingest also removes DEL and the C1 controls and folds tabs and line breaks; the contract tolerates
     * them, as sightings from before ingest cleaned text, or arXiv's own titles, have them.)
     */
    public static int firstUnclean(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= ' ' && c < 0x7F) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            boolean tolerated = c == '\t' || c == '\n' || c == '\r' || (c >= 0x7F && c <= 0x9F);
            if (!isAllowed(c) && !tolerated) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a single UTF-16 unit (not part of a surrogate pair) may stand in folded text: no controls at all. */
    public static boolean isAllowed(char c) {
        return c >= ' ' && !(c >= 0x7F && c <= 0x9F) && !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF;
    }
}
