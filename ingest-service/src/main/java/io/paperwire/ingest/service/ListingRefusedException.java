package io.paperwire.ingest.service;

/** A listing document, or the request that brought it, is refused as a whole: nothing of it is published. */
public abstract class ListingRefusedException extends RuntimeException {

    protected ListingRefusedException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
