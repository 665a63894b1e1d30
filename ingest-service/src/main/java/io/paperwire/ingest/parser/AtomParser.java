package io.paperwire.ingest.parser;

import io.paperwire.events.PaperSighted.SourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * arXiv Atom, both kinds: API results ({@code export.arxiv.org/api/query}: ids with versions, authors with
 * affiliations, DOI, primary and other categories, opensearch paging, error entries under {@code /api/errors})
 * and announcement feeds ({@code rss.arxiv.org/atom/...}: {@code oai:arXiv.org:} ids, {@code announce_type},
 * {@code dc:creator} as one string, "Announce Type: ... Abstract:" prefixes in the summary).
 */
public final class AtomParser implements ListingParser {

    private final SourceKind known;

    /** A parser that tells an API result from an announcement feed by the document (a POSTed Atom document). */
    public AtomParser() {
        this(null);
    }

    /** A parser for documents known to be of {@code kind} (a polled source's configured kind). */
    public AtomParser(SourceKind kind) {
        this.known = kind;
    }

    @Override
    public ParsedListing parse(InputStream in, LocalDate today) throws IOException, ListingParseException {
        List<ParsedEntry> entries = new ArrayList<>();
        List<ParsedListing.RejectedEntry> rejected = new ArrayList<>();
        Integer total = null;
        Integer start = null;
        Integer perPage = null;
        LocalDate feedDate = null;
        boolean announcementFeed = false;
        try {
            XMLStreamReader r = Xml.reader(in);
            String root = Xml.root(r);
            if (!"feed".equals(root) || !Xml.ATOM.equals(r.getNamespaceURI())) {
                throw new ListingParseException("not an Atom feed: the root element is <" + root + ">, expected Atom <feed>");
            }
            EntryBuilder e = null;
            int index = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamReader.END_ELEMENT && e != null && "entry".equals(r.getLocalName())
                        && Xml.ATOM.equals(r.getNamespaceURI())) {
                    e.finish(entries, rejected);
                    e = null;
                    continue;
                }
                if (event != XMLStreamReader.START_ELEMENT) {
                    continue;
                }
                String ns = r.getNamespaceURI();
                String name = r.getLocalName();
                if (e == null) {
                    if ("entry".equals(name) && Xml.ATOM.equals(ns)) {
                        e = new EntryBuilder(index++);
                    } else if (Xml.OPENSEARCH.equals(ns)) {
                        switch (name) {
                            case "totalResults" -> total = Xml.integer(Xml.text(r));
                            case "startIndex" -> start = Xml.integer(Xml.text(r));
                            case "itemsPerPage" -> perPage = Xml.integer(Xml.text(r));
                            default -> { }
                        }
                    } else if ("updated".equals(name) && Xml.ATOM.equals(ns)) {
                        feedDate = Xml.date(Xml.text(r));
                    }
                    continue;
                }
                announcementFeed |= entryElement(r, e, ns, name);
            }
        } catch (XMLStreamException ex) {
            throw new ListingParseException("malformed or truncated Atom document: " + ex.getMessage());
        }
        SourceKind kind = known != null ? known : announcementFeed ? SourceKind.ARXIV_FEED : SourceKind.ARXIV_API;
        announcementFeed = kind == SourceKind.ARXIV_FEED;
        // An API result's <updated> is the time of the query, not of a listing; a feed's is its announcement day.
        return new ParsedListing(kind, announcementFeed ? feedDate : null, entries, rejected,
                new ParsedListing.Paging(total, start, perPage, null));
    }

    /** Reads one element inside an entry; returns true when it marks an announcement feed. */
    private static boolean entryElement(XMLStreamReader r, EntryBuilder e, String ns, String name) throws XMLStreamException {
        if (Xml.ATOM.equals(ns)) {
            switch (name) {
                case "id" -> {
                    String id = Xml.text(r).strip();
                    if (id.contains("arxiv.org/api/errors")) {
                        e.reject("arXiv API error entry (" + id + ")");
                        e.abstractText = null;
                    } else {
                        e.identifier(id);
                    }
                    return id.startsWith("oai:");
                }
                case "title" -> e.title = Xml.text(r);
                case "summary" -> {
                    String summary = Xml.text(r);
                    if (e.rejection != null) {
                        e.rejection = e.rejection + ": " + EntryBuilder.clean(summary);
                    } else {
                        e.abstractText = EntryBuilder.withoutAnnouncement(summary);
                    }
                }
                case "name" -> e.author(Xml.text(r));
                case "category" -> e.category(r.getAttributeValue(null, "term"));
                case "link" -> link(r, e);
                default -> { }
            }
            return false;
        }
        if (Xml.ARXIV.equals(ns)) {
            switch (name) {
                case "doi" -> e.identifier("doi:" + Xml.text(r).strip());
                case "primary_category" -> e.category(r.getAttributeValue(null, "term"));
                case "announce_type" -> {
                    Xml.text(r);
                    return true;
                }
                default -> { }
            }
            return false;
        }
        if (Xml.DC.equals(ns) && "creator".equals(name)) {
            e.authorList(Xml.text(r));
        }
        return false;
    }

    private static void link(XMLStreamReader r, EntryBuilder e) {
        String href = r.getAttributeValue(null, "href");
        String title = r.getAttributeValue(null, "title");
        String rel = r.getAttributeValue(null, "rel");
        if ("pdf".equals(title)) {
            e.link("pdf", href);
        } else if ("doi".equals(title)) {
            e.link("doi", href);
            e.identifier(href);
        } else if (rel == null || "alternate".equals(rel)) {
            e.link("abstract", href);
        }
    }
}
