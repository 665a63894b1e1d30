package io.paperwire.dedup.messaging;

/** Channel names of dedup-service, shared with its configuration and tests. */
public final class Channels {

    /** Incoming {@code paper.sightings.v1}, in batches. */
    public static final String SIGHTINGS_IN = "sightings-in";
    /** Outgoing {@code paper.sightings.v1.dlq}: records that are not valid events, as received, with the reason. */
    public static final String DEAD_LETTERS_OUT = "dead-letters-out";
    /** Outgoing {@code paper.consolidated.v1}. */
    public static final String CONSOLIDATED_OUT = "consolidated-out";
    /** Outgoing {@code paper.consolidated.v1} as well: merged-into events and tombstones of absorbed papers. */
    public static final String MERGES_OUT = "merges-out";

    /** Incoming {@code paper.consolidated.v1}, in batches: the search projection reads the published states back. */
    public static final String SEARCH_IN = "search-in";

    private Channels() {
    }
}
