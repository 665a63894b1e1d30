package io.paperwire.ingest.parser;

import java.time.LocalDate;
import java.util.List;

/** What a parser made of a document: the usable entries, the unusable ones with reasons, and the listing date. */
public record ParsedListing(LocalDate listingDate, List<ParsedEntry> entries, List<RejectedEntry> rejected) {

    public ParsedListing {
        entries = List.copyOf(entries);
        rejected = List.copyOf(rejected);
    }

    /** An entry that was not used, by its 0-based index in the document, and why. */
    public record RejectedEntry(int index, String reason) {
    }
}
