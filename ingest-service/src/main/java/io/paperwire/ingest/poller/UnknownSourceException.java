package io.paperwire.ingest.poller;

/** No source of that name is configured. */
public class UnknownSourceException extends RuntimeException {

    public UnknownSourceException(String detail) {
        super(detail);
    }
}
