package io.paperwire.ingest.parser;

import io.paperwire.events.Link;
import java.time.LocalDate;
import java.util.List;

/**
 * One usable entry of a listing document, before identity resolution; {@code index} is its 0-based position
 * among the document's entries. {@code listingDate} is set when the entry carries its own (else the document's).
 * {@code titleFingerprint} is the title's, computed once: the parser needs it to reject a title without letters or
 * digits, the event carries it as its key.
 */
public record ParsedEntry(int index, List<String> rawIdentifiers, String title, String titleFingerprint, String abstractText,
        List<String> authors, List<String> categories, Integer upvotes, List<Link> links, LocalDate listingDate,
        List<String> keywords) {

    public ParsedEntry {
        rawIdentifiers = List.copyOf(rawIdentifiers);
        authors = List.copyOf(authors);
        categories = List.copyOf(categories);
        links = List.copyOf(links);
        keywords = keywords == null ? null : List.copyOf(keywords);
    }
}
