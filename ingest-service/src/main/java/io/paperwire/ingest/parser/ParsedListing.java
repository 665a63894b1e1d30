package io.paperwire.ingest.parser;

import io.paperwire.events.PaperSighted.SourceKind;
import java.time.LocalDate;
import java.util.List;

/**
 * What a parser made of a document: the usable entries, the unusable ones with reasons, the listing date, and
 * where the next page starts when the source paginates (arXiv API offsets, OAI-PMH resumption tokens).
 */
public record ParsedListing(SourceKind kind, LocalDate listingDate, List<ParsedEntry> entries,
        List<RejectedEntry> rejected, Paging paging) {

    public ParsedListing {
        entries = List.copyOf(entries);
        rejected = List.copyOf(rejected);
    }

    /** An entry that was not used, by its 0-based index in the document, and why. */
    public record RejectedEntry(int index, String reason) {
    }

    /** Pagination facts the document states; any of them may be null. */
    public record Paging(Integer totalResults, Integer startIndex, Integer itemsPerPage, String resumptionToken) {

        public static final Paging NONE = new Paging(null, null, null, null);
    }
}
