package io.paperwire.ingest.parser;

import io.paperwire.events.Link;
import io.paperwire.events.identity.LatexText;
import io.paperwire.events.identity.TitleFingerprint;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Collects one entry's fields while a streaming parser walks it, then yields an entry or the reason it is unusable. */
final class EntryBuilder {

    static final int MAX_TITLE_LENGTH = 500;
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

    EntryBuilder(int index) {
        this.index = index;
    }

    void identifier(String raw) {
        if (raw != null && !raw.isBlank()) {
            rawIdentifiers.add(raw.strip());
        }
    }

    void author(String name) {
        String clean = clean(LatexText.toUnicode(name == null ? "" : name));
        if (!clean.isEmpty()) {
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
        if (term != null && !term.isBlank()) {
            categories.add(term.strip());
        }
    }

    void link(String rel, String href) {
        if (href != null && !href.isBlank() && links.stream().noneMatch(l -> l.href().equals(href.strip()))) {
            links.add(new Link(rel, href.strip()));
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
        if (rejection != null) {
            rejected.add(new ParsedListing.RejectedEntry(index, rejection));
            return;
        }
        String a = clean(abstractText);
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
     * Whether {@code s} has no ASCII whitespace but single spaces, as most titles and abstracts have. One comparison
     * for each character above the space, where folding compares each six times: under C1, which compiles the
     * services, the folding loop was a fifth of a request's CPU (docs/benchmarks.md, "ingest").
     */
    private static boolean isFolded(String s) {
        boolean afterSpace = false;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c > ' ') {
                afterSpace = false;
            } else if (c == ' ') {
                if (afterSpace) {
                    return false;
                }
                afterSpace = true;
            } else if (c >= '\t' && c <= '\r') {
                return false;
            } else {
                afterSpace = false;
            }
        }
        return true;
    }

    /** The folding itself, for text that needs it: copied up to its first change, then built a character at a time. */
    private static String fold(String s) {
        int n = s.length();
        StringBuilder b = null;
        boolean inRun = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
            if (b == null && space && (c != ' ' || inRun)) {
                // The first place the text changes: copy what came before and build from here.
                b = new StringBuilder(n).append(s, 0, inRun ? i - 1 : i);
                if (inRun) {
                    b.append(' ');
                }
            }
            if (b != null) {
                if (!space) {
                    b.append(c);
                } else if (!inRun) {
                    b.append(' ');
                }
            }
            inRun = space;
        }
        return (b == null ? s : b.toString()).strip();
    }
}
