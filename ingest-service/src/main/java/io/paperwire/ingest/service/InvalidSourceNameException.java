package io.paperwire.ingest.service;

/** The source a document is said to come from has no valid name (it becomes part of event ids and metric tags). */
public class InvalidSourceNameException extends ListingRefusedException {

    public InvalidSourceNameException(String detail) {
        super(detail, null);
    }
}
