package io.paperwire.notify.readmodel;

import io.paperwire.notify.repository.PaperView;
import java.time.Instant;
import java.util.List;

/** A paper as the trending page shows it (never the stored row). */
public record TrendingPaper(String paperId, String arxivId, String title, String abstractText, List<String> authors,
        double score, int upvotes, int sightings, Instant lastSeenAt) {

    public TrendingPaper {
        authors = List.copyOf(authors);
    }

    static TrendingPaper of(PaperView v) {
        return new TrendingPaper(v.paperId, v.arxivId, v.title, v.abstractText, v.authors, v.score, v.upvotes, v.sightings,
                v.lastSeenAt);
    }
}
