package io.paperwire.ingest.parser;

import java.net.URI;

/**
 * How a paginated source's pages follow each other, beside the parser that reads them: where a poll starts (the
 * configured URL, or where the stored cursor says the last poll stopped), which page comes next from what the page
 * said ({@link ParsedListing.Paging}), and what to store to resume there.
 */
public interface Pagination {

    /** A source of one page. */
    Pagination NONE = new Pagination() {
        @Override
        public URI start(URI configured, String cursor) {
            return configured;
        }

        @Override
        public URI next(URI configured, ParsedListing.Paging paging, int entriesOnPage) {
            return null;
        }

        @Override
        public String cursorOf(URI next) {
            return null;
        }
    };

    /** The first URL of a poll. */
    URI start(URI configured, String cursor);

    /** The page after the one that said {@code paging}, or null at the end. */
    URI next(URI configured, ParsedListing.Paging paging, int entriesOnPage);

    /** What to store of {@code next} to resume there, or null. */
    String cursorOf(URI next);
}
