package io.paperwire.events;

import java.time.Instant;
import java.util.Objects;

/**
 * On {@code paper.consolidated.v1}, keyed by the absorbed paper's id: that paper turned out to be the same as
 * {@code mergedInto} and no longer exists on its own. A tombstone for the same key follows; the survivor's new
 * state (change type {@code merged}) is published under its own key.
 */
public record PaperMerged(String paperId, String mergedInto, Instant mergedAt) {

    public PaperMerged {
        Objects.requireNonNull(paperId, "paperId");
        Objects.requireNonNull(mergedInto, "mergedInto");
        Objects.requireNonNull(mergedAt, "mergedAt");
    }
}
