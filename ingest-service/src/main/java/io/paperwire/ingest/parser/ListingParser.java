package io.paperwire.ingest.parser;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;

/** Reads one listing format from a stream, entry by entry, so a large document is never held whole. */
public interface ListingParser {

    /**
     * @param today the observation date, for formats that give dates without a year
     * @throws ListingParseException when the document as a whole is not this format (malformed, truncated, wrong root)
     */
    ParsedListing parse(InputStream in, LocalDate today) throws IOException, ListingParseException;
}
