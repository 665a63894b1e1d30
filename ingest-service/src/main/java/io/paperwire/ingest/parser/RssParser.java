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
 * arXiv's RSS announcement feeds: RSS 2.0 ({@code <rss><channel><item>}) and the older RSS 1.0 / RDF form
 * ({@code <rdf:RDF><item>}). Ids come from the {@code oai:arXiv.org:} guid or the abstract link; authors from
 * {@code dc:creator}, one comma-separated string with LaTeX escapes. An empty feed is a valid, empty listing.
 */
public final class RssParser implements ListingParser {

    @Override
    public ParsedListing parse(InputStream in, LocalDate today) throws IOException, ListingParseException {
        List<ParsedEntry> entries = new ArrayList<>();
        List<ParsedListing.RejectedEntry> rejected = new ArrayList<>();
        LocalDate channelDate = null;
        try {
            XMLStreamReader r = Xml.reader(in);
            String root = Xml.root(r);
            if (!"rss".equals(root) && !"RDF".equals(root)) {
                throw new ListingParseException("not an RSS feed: the root element is <" + root + ">, expected <rss> or <rdf:RDF>");
            }
            EntryBuilder e = null;
            int index = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamReader.END_ELEMENT && e != null && "item".equals(r.getLocalName())) {
                    e.finish(entries, rejected);
                    e = null;
                    continue;
                }
                if (event != XMLStreamReader.START_ELEMENT) {
                    continue;
                }
                String name = r.getLocalName();
                String ns = r.getNamespaceURI();
                if (e == null) {
                    if ("item".equals(name)) {
                        e = new EntryBuilder(index++);
                    } else if (("pubDate".equals(name) || "lastBuildDate".equals(name) || ("date".equals(name) && Xml.DC.equals(ns)))
                            && channelDate == null) {
                        channelDate = Xml.date(Xml.text(r));
                    }
                    continue;
                }
                if (Xml.DC.equals(ns)) {
                    switch (name) {
                        case "creator" -> e.authorList(Xml.text(r));
                        case "identifier" -> e.identifier(Xml.text(r));
                        default -> { }
                    }
                    continue;
                }
                switch (name) {
                    case "title" -> e.title = Xml.text(r);
                    case "description" -> e.abstractText = EntryBuilder.withoutAnnouncement(Xml.text(r));
                    case "link" -> {
                        String href = Xml.text(r);
                        e.link("abstract", href);
                        e.identifier(href);
                    }
                    case "guid" -> e.identifier(Xml.text(r));
                    case "category" -> e.category(Xml.text(r));
                    default -> { }
                }
            }
        } catch (XMLStreamException ex) {
            throw new ListingParseException("malformed or truncated RSS document: " + ex.getMessage());
        }
        return new ParsedListing(SourceKind.ARXIV_FEED, channelDate, entries, rejected, ParsedListing.Paging.NONE);
    }
}
