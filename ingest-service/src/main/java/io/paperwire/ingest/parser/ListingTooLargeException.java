package io.paperwire.ingest.parser;

/** The document holds more entries than one request may carry; nothing of it is published (answered 413). */
public class ListingTooLargeException extends ListingParseException {

    /** Entries per document: arXiv's API pages hold up to 2,000, OAI-PMH pages about 1,000, a daily listing 50. */
    public static final int MAX_ENTRIES = 10_000;

    public ListingTooLargeException(String message) {
        super(message);
    }
}
