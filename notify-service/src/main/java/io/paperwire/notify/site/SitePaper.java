package io.paperwire.notify.site;

import io.paperwire.events.Link;
import io.paperwire.notify.repository.PaperRow;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A paper as the site and the mails show it: linked, with its authors, a snippet, where it was seen and a reason for
 * its place a reader can check, never a raw score. Every URL in it is http(s): a source's link with another scheme
 * ({@code javascript:}) is dropped, not shown.
 */
public record SitePaper(String id, String path, String title, Snippet heading, List<String> authors, Snippet snippet,
        String abstractText, List<String> categories, List<String> sources, int upvotes, int sightings, String reason,
        List<Identifier> identifiers, List<Identifier> links, List<String> titleAliases, String arxivId, String doi,
        Instant firstSeenAt, Instant lastSeenAt) {

    /** Authors named before "and N more". */
    static final int AUTHORS_SHOWN = 6;

    /** An identifier or link: what it is, its value as written, and where it leads. */
    public record Identifier(String kind, String value, String href) {
    }

    public SitePaper {
        authors = List.copyOf(authors);
        categories = List.copyOf(categories);
        sources = List.copyOf(sources);
        identifiers = List.copyOf(identifiers);
        links = List.copyOf(links);
        titleAliases = List.copyOf(titleAliases);
    }

    /**
     * Where the paper's title leads from a mail: arXiv's abstract page when there is one, else the paper's page on the
     * site at {@code base}.
     */
    public String linkFrom(String base) {
        return identifiers.isEmpty() ? base + path : identifiers.get(0).href();
    }

    public List<String> shownAuthors() {
        return authors.subList(0, Math.min(AUTHORS_SHOWN, authors.size()));
    }

    public int hiddenAuthors() {
        return Math.max(0, authors.size() - AUTHORS_SHOWN);
    }

    /** The words of the reader's filter this paper matched, as marked in its title and abstract. */
    public List<String> matched() {
        return java.util.stream.Stream.concat(heading.marked().stream(), snippet.marked().stream()).distinct().toList();
    }

    public static SitePaper of(PaperRow r) {
        List<Identifier> ids = new ArrayList<>();
        if (r.arxivId() != null) {
            ids.add(new Identifier("arXiv", r.arxivId(), "https://arxiv.org/abs/" + r.arxivId()));
            ids.add(new Identifier("PDF", r.arxivId(), "https://arxiv.org/pdf/" + r.arxivId()));
            ids.add(new Identifier("Hugging Face", r.arxivId(), "https://huggingface.co/papers/" + r.arxivId()));
        }
        if (r.doi() != null) {
            ids.add(new Identifier("DOI", r.doi(), "https://doi.org/" + r.doi()));
        }
        List<Identifier> links = new ArrayList<>();
        for (Link l : r.links()) {
            if (isWeb(l.href()) && ids.stream().noneMatch(i -> i.href().equals(l.href()))
                    && links.stream().noneMatch(i -> i.href().equals(l.href()))) {
                links.add(new Identifier(label(l.rel()), l.href(), l.href()));
            }
        }
        Snippet snippet = r.snippet() != null ? Snippet.marked(r.snippet(), r.abstractText()) : Snippet.opening(r.abstractText());
        Snippet heading = r.titleMarked() != null ? Snippet.marked(r.titleMarked(), r.title()) : Snippet.plain(r.title());
        return new SitePaper(r.paperId(), "/papers/" + r.paperId(), r.title(), heading, r.authors(), snippet, r.abstractText(),
                r.categories(), r.sources(), r.upvotes(), r.sightings(), reason(r.upvotes(), r.sources().size(), r.sightings(),
                r.sources()), ids, links, r.titleAliases(), r.arxivId(), r.doi(), r.firstSeenAt(), r.lastSeenAt());
    }

    /** "41 upvotes · seen on 3 sources · listed 5 times": what its place rests on, in the order the page ranks by. */
    static String reason(int upvotes, int sourceCount, int sightings, List<String> sources) {
        List<String> parts = new ArrayList<>();
        if (upvotes > 0) {
            parts.add(upvotes + (upvotes == 1 ? " upvote" : " upvotes"));
        }
        if (sourceCount > 1) {
            parts.add("seen on " + sourceCount + " sources");
        } else if (sourceCount == 1) {
            parts.add("seen on " + sources.get(0));
        }
        if (sightings > 1) {
            parts.add("listed " + sightings + " times");
        } else if (sightings == 1 && sourceCount == 0) {
            parts.add("listed once");
        }
        return String.join(" · ", parts);
    }

    private static String label(String rel) {
        String r = rel == null ? "" : rel.strip().toLowerCase(Locale.ROOT);
        return switch (r) {
            case "code", "repository", "github" -> "Code";
            case "project", "homepage", "project-page" -> "Project page";
            case "pdf" -> "PDF";
            case "abstract", "alternate", "abs" -> "Abstract";
            default -> r.isEmpty() ? "Link" : Character.toUpperCase(r.charAt(0)) + r.substring(1);
        };
    }

    private static boolean isWeb(String href) {
        try {
            URI u = URI.create(href.strip());
            return u.getHost() != null && ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
