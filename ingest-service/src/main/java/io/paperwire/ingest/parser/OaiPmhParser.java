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
 * arXiv OAI-PMH {@code ListRecords} with {@code metadataPrefix=arXiv}, for backfills: records with authors as
 * keyname/forenames, space-separated categories, DOI; deleted records are reported, not ingested; the
 * resumption token says where the next page starts. {@code noRecordsMatch} is an empty listing, any other
 * OAI-PMH error makes the document unusable.
 */
public final class OaiPmhParser implements ListingParser {

    static final String OAI = "http://www.openarchives.org/OAI/2.0/";

    @Override
    public ParsedListing parse(InputStream in, LocalDate today) throws IOException, ListingParseException {
        List<ParsedEntry> entries = new ArrayList<>();
        List<ParsedListing.RejectedEntry> rejected = new ArrayList<>();
        String token = null;
        Integer total = null;
        Integer cursor = null;
        try {
            XMLStreamReader r = Xml.reader(in);
            String root = Xml.root(r);
            if (!"OAI-PMH".equals(root)) {
                throw new ListingParseException("not an OAI-PMH response: the root element is <" + root + ">");
            }
            EntryBuilder e = null;
            String keyname = null;
            String forenames = null;
            int index = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamReader.END_ELEMENT) {
                    String end = r.getLocalName();
                    if ("record".equals(end) && e != null) {
                        e.finish(entries, rejected);
                        e = null;
                    } else if ("author".equals(end) && e != null) {
                        e.author(((forenames == null ? "" : forenames) + " " + (keyname == null ? "" : keyname)).strip());
                        keyname = null;
                        forenames = null;
                    }
                    continue;
                }
                if (event != XMLStreamReader.START_ELEMENT) {
                    continue;
                }
                String name = r.getLocalName();
                if (e == null) {
                    switch (name) {
                        case "record" -> e = new EntryBuilder(index++);
                        case "error" -> {
                            String code = r.getAttributeValue(null, "code");
                            String message = Xml.text(r);
                            if (!"noRecordsMatch".equals(code)) {
                                throw new ListingParseException("OAI-PMH error " + code + ": " + EntryBuilder.clean(message));
                            }
                        }
                        case "resumptionToken" -> {
                            total = Xml.integer(r.getAttributeValue(null, "completeListSize"));
                            cursor = Xml.integer(r.getAttributeValue(null, "cursor"));
                            String t = Xml.text(r).strip();
                            token = t.isEmpty() ? null : t;
                        }
                        default -> { }
                    }
                    continue;
                }
                switch (name) {
                    case "header" -> {
                        if ("deleted".equals(r.getAttributeValue(null, "status"))) {
                            e.reject("deleted record");
                        }
                    }
                    case "identifier" -> {
                        String id = Xml.text(r);
                        e.identifier(id);
                        if (e.rejection != null) {
                            e.rejection = "deleted record " + id.strip();
                        }
                    }
                    case "id" -> e.link("abstract", "https://arxiv.org/abs/" + Xml.text(r).strip());
                    case "title" -> e.title = Xml.text(r);
                    case "abstract" -> e.abstractText = Xml.text(r);
                    case "keyname" -> keyname = Xml.text(r);
                    case "forenames" -> forenames = Xml.text(r);
                    case "categories" -> {
                        for (String c : Xml.text(r).strip().split("\\s+")) {
                            e.category(c);
                        }
                    }
                    case "doi" -> {
                        // arXiv sometimes lists several DOIs separated by spaces: the first one is the paper's.
                        String first = Xml.text(r).strip().split("\\s+")[0];
                        e.identifier("doi:" + first);
                    }
                    default -> { }
                }
            }
        } catch (XMLStreamException ex) {
            throw new ListingParseException("malformed or truncated OAI-PMH document: " + ex.getMessage());
        }
        return new ParsedListing(SourceKind.ARXIV_OAI, null, entries, rejected,
                new ParsedListing.Paging(total, cursor, null, token));
    }
}
