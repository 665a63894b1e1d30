package io.paperwire.ingest.parser;

/** The document as a whole cannot be read as a listing; nothing of it is published. */
public class ListingParseException extends Exception {

    public ListingParseException(String message) {
        super(message);
    }
}
