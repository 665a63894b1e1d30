package io.paperwire.ingest.service;

/** The document's bytes cannot be used as a listing: too many entries, not the format it claims, or unreadable. */
public class UnusableListingException extends ListingRefusedException {

    /** Why the document cannot be used. */
    public enum Why {
        TOO_LARGE, UNPARSEABLE, UNREADABLE
    }

    private final Why why;

    public UnusableListingException(Why why, String detail, Throwable cause) {
        super(detail, cause);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
