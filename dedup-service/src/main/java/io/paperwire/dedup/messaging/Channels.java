package io.paperwire.dedup.messaging;

/** Channel names of dedup-service, shared with its configuration and tests. */
public final class Channels {

    /** Incoming {@code paper.sightings.v1} (dead letters to {@code paper.sightings.v1.dlq}). */
    public static final String SIGHTINGS_IN = "sightings-in";
    /** Outgoing {@code paper.consolidated.v1}. */
    public static final String CONSOLIDATED_OUT = "consolidated-out";
    /** Outgoing {@code paper.consolidated.v1} as well: merged-into events and tombstones of absorbed papers. */
    public static final String MERGES_OUT = "merges-out";

    private Channels() {
    }
}
