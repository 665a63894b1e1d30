package io.paperwire.ingest.service;

import io.paperwire.ingest.parser.ParsedListing;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The answer to a posted listing: the batch, how many sightings Kafka acknowledged, the entries left out and why.
 * {@code rejected} lists at most {@link #MAX_LISTED} of them, in document order; {@code rejectedCount} counts all.
 * {@code duplicate} is true when the same document was accepted before and nothing new was published.
 */
public record ListingResult(UUID batchId, int accepted, int rejectedCount, List<ParsedListing.RejectedEntry> rejected,
        boolean duplicate) {

    /** Rejections listed in one answer: a document of thousands of bad entries must not make a huge answer. */
    public static final int MAX_LISTED = 100;

    public static ListingResult of(UUID batchId, int accepted, List<ParsedListing.RejectedEntry> rejected, boolean duplicate) {
        List<ParsedListing.RejectedEntry> listed = rejected.stream()
                .sorted(Comparator.comparingInt(ParsedListing.RejectedEntry::index)).limit(MAX_LISTED).toList();
        return new ListingResult(batchId, accepted, rejected.size(), listed, duplicate);
    }
}
