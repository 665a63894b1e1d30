package io.paperwire.ingest.service;

/** An Idempotency-Key already names a different document from the same source. */
public class IdempotencyKeyReusedException extends ListingRefusedException {

    public IdempotencyKeyReusedException(String detail) {
        super(detail, null);
    }
}
