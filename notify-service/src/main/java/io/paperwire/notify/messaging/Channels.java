package io.paperwire.notify.messaging;

/** Channel names of notify-service, shared with its configuration and tests. */
public final class Channels {

    /** Incoming {@code paper.consolidated.v1}. */
    public static final String CONSOLIDATED_IN = "consolidated-in";

    private Channels() {
    }
}
