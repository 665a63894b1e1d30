package io.paperwire.ingest.parser;

import io.paperwire.events.Link;
import java.util.List;

/** One usable entry of a listing document, before identity resolution; {@code index} is 0-based. */
public record ParsedEntry(int index, List<String> rawIdentifiers, String title, String abstractText,
        List<String> authors, List<String> categories, Integer upvotes, List<Link> links) {

    public ParsedEntry {
        rawIdentifiers = List.copyOf(rawIdentifiers);
        authors = List.copyOf(authors);
        categories = List.copyOf(categories);
        links = List.copyOf(links);
    }

    /** An entry that has only a title and an abstract, as on a listing page. */
    public static ParsedEntry titleAndAbstract(int index, String title, String abstractText) {
        return new ParsedEntry(index, List.of(), title, abstractText, List.of(), List.of(), null, List.of());
    }
}
