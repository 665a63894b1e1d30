package io.paperwire.ingest.service;

import io.paperwire.ingest.parser.ParsedListing;
import java.util.List;
import java.util.UUID;

/**
 * The answer to a posted listing: the batch, how many sightings Kafka acknowledged, the entries left out and why.
 * {@code duplicate} is true when the same document was accepted before and nothing new was published.
 */
public record ListingResult(UUID batchId, int accepted, List<ParsedListing.RejectedEntry> rejected, boolean duplicate) {
}
