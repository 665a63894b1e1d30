package io.paperwire.ingest.service;

/** The document's media type is not a listing format any parser reads. */
public class UnsupportedListingTypeException extends ListingRefusedException {

    public UnsupportedListingTypeException(String detail) {
        super(detail, null);
    }
}
