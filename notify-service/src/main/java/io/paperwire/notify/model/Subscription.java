package io.paperwire.notify.model;

import io.paperwire.support.search.PaperFilter;
import java.util.List;
import java.util.UUID;

/**
 * A subscription as the pages, the API and the mails see it: what was asked for and where it stands, never the
 * stored row (its secrets' nonce, its mail counters).
 */
public record Subscription(UUID id, SubscriptionKind kind, SubscriptionStatus status, String statusReason, String email,
        String webhookUrl, List<String> keywords, List<String> excludeKeywords, List<String> authors, List<String> categories,
        double minScore, Frequency frequency, String timezone, int sendHour, int maxPapers, int webhookFailures) {

    public Subscription {
        keywords = List.copyOf(keywords);
        excludeKeywords = List.copyOf(excludeKeywords);
        authors = List.copyOf(authors);
        categories = List.copyOf(categories);
    }

    /** What its digests, feed and webhook hold, in the one filter language. */
    public PaperFilter filter() {
        return new PaperFilter(keywords, excludeKeywords, authors, categories, minScore);
    }

    /** The address or URL digests go to. */
    public String target() {
        return email != null ? email : webhookUrl;
    }
}
