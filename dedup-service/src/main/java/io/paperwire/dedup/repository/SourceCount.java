package io.paperwire.dedup.repository;

import java.time.Instant;

/**
 * How often one source listed a paper, the upvotes its latest listing showed (null if it shows none) and when it last
 * listed it: one element of {@code paper.source_counts}, kept on the paper's row because every batch that counts a
 * sighting rewrites that row anyway.
 */
public record SourceCount(String source, int sightings, Integer upvotes, Instant lastSeenAt) {

    /**
     * Counts one more listing. Its upvotes replace the stored ones unless it is older than the source's last listing
     * so far: a late-arriving old listing cannot roll the count back.
     */
    public SourceCount plus(Integer listedUpvotes, Instant observedAt) {
        boolean replaces = listedUpvotes != null && !observedAt.isBefore(lastSeenAt);
        return new SourceCount(source, sightings + 1, replaces ? listedUpvotes : upvotes,
                observedAt.isAfter(lastSeenAt) ? observedAt : lastSeenAt);
    }

    /** The first listing by a source. */
    public static SourceCount first(String source, Integer upvotes, Instant observedAt) {
        return new SourceCount(source, 1, upvotes, observedAt);
    }

    /** Both papers' counts of one source, when one paper absorbs the other: the later listing's upvotes win. */
    public SourceCount merge(SourceCount other) {
        boolean otherLater = other.lastSeenAt.isAfter(lastSeenAt);
        Integer up = otherLater ? (other.upvotes != null ? other.upvotes : upvotes) : (upvotes != null ? upvotes : other.upvotes);
        return new SourceCount(source, sightings + other.sightings, up, otherLater ? other.lastSeenAt : lastSeenAt);
    }
}
