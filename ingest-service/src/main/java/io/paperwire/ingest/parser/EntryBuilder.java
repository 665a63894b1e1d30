package io.paperwire.ingest.parser;

import io.paperwire.events.Link;
import io.paperwire.events.SightingLimits;
import io.paperwire.events.identity.LatexText;
import io.paperwire.events.identity.TitleFingerprint;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Collects one entry's fields while a streaming parser walks it, then yields an entry or the reason it is unusable. */
final class EntryBuilder {

    static final int MAX_TITLE_LENGTH = SightingLimits.TITLE;
    // arXiv feeds start each summary with "arXiv:2411.00001v1 Announce Type: new Abstract: ".
    private static final Pattern ANNOUNCEMENT_PREFIX =
            Pattern.compile("^\\s*arXiv:\\S+\\s+Announce Type:\\s*\\S+\\s*(?:Abstract:\\s*)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern AUTHOR_SEPARATORS = Pattern.compile("\\s*,\\s*(?:and\\s+)?|\\s+and\\s+");

    final int index;
    String title;
    String abstractText;
    final LinkedHashSet<String> rawIdentifiers = new LinkedHashSet<>();
    final List<String> authors = new ArrayList<>();
    final LinkedHashSet<String> categories = new LinkedHashSet<>();
    final List<Link> links = new ArrayList<>();
    final List<String> keywords = new ArrayList<>();
    Integer upvotes;
    LocalDate listingDate;
    String rejection;

    /**
     * @throws ListingTooLargeException when the document has more entries than one request may carry: a document of
     *         millions of tiny entries must not hold them all in memory before anything is answered
     */
    EntryBuilder(int index) throws ListingTooLargeException {
        if (index >= ListingTooLargeException.MAX_ENTRIES) {
            throw new ListingTooLargeException("the document has more than " + ListingTooLargeException.MAX_ENTRIES
                    + " entries; page through the source or split the document");
        }
        this.index = index;
    }

    // Every adder below is bounded as it adds: a hostile entry with endless authors or links fills no memory. A list
    // keeps its first items up to its bound and an item longer than its bound is left out: a collaboration of
    // thousands of authors, or a paper with sixty keywords, is a real paper. Only the title and the abstract, which
    // are the paper, reject the entry when they are over their bounds (see finish).

    void identifier(String raw) {
        if (rawIdentifiers.size() < SightingLimits.RAW_IDENTIFIERS) {
            String id = clean(raw);
            if (!id.isEmpty() && id.length() <= SightingLimits.RAW_IDENTIFIER) {
                rawIdentifiers.add(id);
            }
        }
    }

    void author(String name) {
        if (authors.size() >= SightingLimits.AUTHORS || name == null) {
            return;
        }
        String clean = clean(LatexText.toUnicode(name));
        if (!clean.isEmpty() && clean.length() <= SightingLimits.AUTHOR) {
            authors.add(clean);
        }
    }

    /** "A. One, B. Two, and C. Three" as one string (arXiv feeds' dc:creator). */
    void authorList(String names) {
        if (names != null) {
            for (String n : AUTHOR_SEPARATORS.split(names.strip())) {
                author(n);
            }
        }
    }

    void category(String term) {
        if (categories.size() < SightingLimits.CATEGORIES) {
            String c = clean(term);
            if (!c.isEmpty() && c.length() <= SightingLimits.CATEGORY) {
                categories.add(c);
            }
        }
    }

    void keyword(String term) {
        if (keywords.size() < SightingLimits.KEYWORDS) {
            String k = clean(term);
            if (!k.isEmpty() && k.length() <= SightingLimits.KEYWORD) {
                keywords.add(k);
            }
        }
    }

    void link(String rel, String href) {
        if (links.size() < SightingLimits.LINKS) {
            String h = clean(href);
            if (!h.isEmpty() && h.length() <= SightingLimits.LINK_HREF && links.stream().noneMatch(l -> l.href().equals(h))) {
                links.add(new Link(rel, h));
            }
        }
    }

    void reject(String reason) {
        if (rejection == null) {
            rejection = reason;
        }
    }

    /** Adds this entry to {@code entries}, or its reason to {@code rejected}. */
    void finish(List<ParsedEntry> entries, List<ParsedListing.RejectedEntry> rejected) {
        String t = clean(title);
        if (rejection == null && t.isEmpty()) {
            rejection = "entry has no title";
        }
        if (rejection == null && t.length() > MAX_TITLE_LENGTH) {
            rejection = "title longer than " + MAX_TITLE_LENGTH + " characters: probably an abstract without its title";
        }
        String fingerprint = rejection == null ? TitleFingerprint.of(t) : "";
        if (rejection == null && fingerprint.isEmpty()) {
            rejection = "title has no letters or digits";
        }
        String a = rejection == null ? clean(abstractText) : "";
        if (rejection == null && a.length() > SightingLimits.ABSTRACT) {
            rejection = "abstract has " + a.length() + " characters, more than " + SightingLimits.ABSTRACT;
        }
        if (rejection != null) {
            rejected.add(new ParsedListing.RejectedEntry(index, rejection));
            return;
        }
        entries.add(new ParsedEntry(index, List.copyOf(rawIdentifiers), t, fingerprint, a.isEmpty() ? null : a, authors,
                List.copyOf(categories), upvotes, links, listingDate, keywords.isEmpty() ? null : keywords));
    }

    /** A feed summary without the announcement prefix arXiv puts before the abstract. */
    static String withoutAnnouncement(String summary) {
        return ANNOUNCEMENT_PREFIX.matcher(summary).replaceFirst("");
    }

    /**
     * Collapses every run of ASCII whitespace (regex {@code \s}: space, tab, line breaks, vertical tab, form feed)
     * to one space and strips the ends. By hand rather than with a regex: it runs for every title, abstract and
     * author, and the regex replacement was a third of ingest's request CPU.
     */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        return isFolded(s) ? s.strip() : fold(s);
    }

    /**
     * Whether {@code s} has no ASCII whitespace but single spaces and nothing to remove, as most titles and abstracts
     * have. One comparison for each printable ASCII character, where folding compares each six times: under C1, which
     * compiles the services, the folding loop was a fifth of a request's CPU (docs/benchmarks.md, "ingest").
     */
    private static boolean isFolded(String s) {
        boolean afterSpace = false;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c > ' ' && c < 0x7F) {
                afterSpace = false;
            } else if (c == ' ') {
                if (afterSpace) {
                    return false;
                }
                afterSpace = true;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                afterSpace = false;
                i++;
            } else if (!SightingLimits.isAllowed(c)) {
                return false;
            } else {
                afterSpace = false;
            }
        }
        return true;
    }

    /**
     * The folding itself, for text that needs it: copied up to its first change, then built a character at a time.
     * Whitespace runs become one space; control characters, unpaired surrogates and U+FFFE/U+FFFF are dropped
     * (PostgreSQL refuses NUL, XML refuses the C0 controls: a feed with one must not stop anything downstream).
     */
    private static String fold(String s) {
        int n = s.length();
        StringBuilder b = new StringBuilder(n);
        boolean inRun = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
                if (!inRun) {
                    b.append(' ');
                }
                inRun = true;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
                inRun = false;
            } else if (SightingLimits.isAllowed(c)) {
                b.append(c);
                inRun = false;
            }
        }
        return b.toString().strip();
    }
}
