package io.paperwire.ingest.messaging;

/** Channel names of ingest-service, shared with its configuration and tests. */
public final class Channels {

    /** Outgoing {@code paper.sightings.v1}. */
    public static final String SIGHTINGS_OUT = "sightings-out";

    private Channels() {
    }
}
