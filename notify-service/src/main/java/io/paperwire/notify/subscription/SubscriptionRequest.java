package io.paperwire.notify.subscription;

import java.util.List;

/**
 * What a subscriber asks for (DESIGN.md's {@code POST /api/v1/subscriptions} body and the subscribe form): an email
 * address or a webhook URL, and optional filters and schedule. {@link SubscriptionRules} checks and normalises it.
 */
public record SubscriptionRequest(String email, String webhookUrl, List<String> keywords, List<String> excludeKeywords,
        List<String> authors, List<String> categories, Double minScore, String frequency, String timezone, Integer sendHour,
        Integer maxPapers) {
}
