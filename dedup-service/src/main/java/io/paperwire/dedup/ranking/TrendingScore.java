package io.paperwire.dedup.ranking;

import java.time.Duration;
import java.time.Instant;

/**
 * The trending score: attention divided by age, with gravity.
 *
 * <pre>score = (upvotes + 2 * sightings) / (hoursSinceFirstSeen + 2) ^ 1.5</pre>
 *
 * Upvotes are the sum over sources of each source's latest count; every sighting (a listing showing the paper)
 * weighs as two upvotes. The denominator makes a paper fade as it ages, so yesterday's 50-upvote paper ranks
 * below this morning's 20-upvote one. The API computes it at query time (the same SQL expression), so rankings
 * decay without rewrites; the value in a consolidated event is the score at the moment of that change.
 */
public final class TrendingScore {

    /** The same formula as {@link #of}, in SQL over the {@code paper} table, with the "now" as parameter. */
    public static final String SQL = "((p.upvotes + 2 * p.sightings) / power(greatest(extract(epoch from (cast(? as timestamptz)"
            + " - p.first_seen_at)), 0) / 3600.0 + 2, 1.5))";

    private TrendingScore() {
    }

    public static double of(int upvotes, int sightings, Instant firstSeenAt, Instant now) {
        double hours = Math.max(0, Duration.between(firstSeenAt, now).toMillis()) / 3_600_000.0;
        return (upvotes + 2.0 * sightings) / Math.pow(hours + 2, 1.5);
    }
}
