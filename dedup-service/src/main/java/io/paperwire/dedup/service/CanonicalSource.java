package io.paperwire.dedup.service;

import io.paperwire.events.PaperSighted;
import java.time.Instant;

/**
 * Which sighting a paper's canonical title, abstract and authors come from: "the richest, most recent strong
 * source". A sighting's rank is 4 if it carries an arXiv id or DOI (the source knows exactly which paper it lists),
 * plus 1 for an abstract and 1 for authors. A sighting takes over the canonical fields when it ranks higher than
 * the current canonical sighting, or ranks the same and was observed no earlier (so arXiv's version 2 title
 * replaces version 1's). Fields the winner lacks are filled from others, never blanked.
 */
final class CanonicalSource {

    private CanonicalSource() {
    }

    static int rank(PaperSighted s) {
        return (s.arxivId() != null || s.doi() != null ? 4 : 0)
                + (s.abstractText() != null && !s.abstractText().isBlank() ? 1 : 0)
                + (s.authors() != null && !s.authors().isEmpty() ? 1 : 0);
    }

    /** Whether a source of {@code rank} observed at {@code at} outranks the current canonical one. */
    static boolean outranks(int rank, Instant at, int currentRank, Instant currentAt) {
        return rank > currentRank || (rank == currentRank && !at.isBefore(currentAt));
    }
}
