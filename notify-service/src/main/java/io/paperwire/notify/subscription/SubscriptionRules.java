package io.paperwire.notify.subscription;

import io.paperwire.notify.model.Frequency;
import io.paperwire.support.search.PaperFilter;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The checks a subscription request must pass, with an error that says which field is wrong and why. */
public final class SubscriptionRules {

    static final int MAX_TERMS = PaperFilter.MAX_TERMS;
    static final int MAX_TERM_LENGTH = 100;
    static final int MAX_PAPERS = 50;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s<>\"(),;:]+@[^@\\s<>\"(),;:]+\\.[^@\\s<>\"(),;:]+$");

    private SubscriptionRules() {
    }

    /** The request, normalised: one target, trimmed terms without repeats, defaults filled in. */
    public record Normalised(String email, String webhookUrl, List<String> keywords, List<String> excludeKeywords,
            List<String> authors, List<String> categories, double minScore, Frequency frequency, String timezone, int sendHour,
            int maxPapers) {

        /** Its filters in the one filter language. */
        public PaperFilter filter() {
            return new PaperFilter(keywords, excludeKeywords, authors, categories, minScore);
        }
    }

    public static Normalised check(SubscriptionRequest r, int defaultMaxPapers) {
        return check(r, defaultMaxPapers, true);
    }

    /** The filters and schedule alone (a preview): no address or URL is asked for, and any given is ignored. */
    public static Normalised checkFilters(SubscriptionRequest r, int defaultMaxPapers) {
        return check(r == null ? null : new SubscriptionRequest(null, null, r.keywords(), r.excludeKeywords(), r.authors(),
                r.categories(), r.minScore(), r.frequency(), r.timezone(), r.sendHour(), r.maxPapers()), defaultMaxPapers, false);
    }

    private static Normalised check(SubscriptionRequest r, int defaultMaxPapers, boolean needsTarget) {
        if (r == null) {
            throw invalid(needsTarget ? "the body must be a JSON object with \"email\" or \"webhookUrl\"" : "the body must be a JSON object");
        }
        boolean hasEmail = r.email() != null && !r.email().isBlank();
        boolean hasWebhook = r.webhookUrl() != null && !r.webhookUrl().isBlank();
        if (needsTarget && hasEmail == hasWebhook) {
            throw invalid("give exactly one of \"email\" and \"webhookUrl\"");
        }
        String email = null;
        if (hasEmail) {
            email = r.email().strip();
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                throw invalid("\"email\" is not an email address");
            }
            // The local part is case-sensitive in theory and never in practice; one subscription per address.
            email = email.toLowerCase(Locale.ROOT);
        }
        Frequency frequency = r.frequency() == null ? Frequency.DAILY
                : Frequency.parse(r.frequency()).orElseThrow(() -> invalid("\"frequency\" must be \"daily\" or \"weekly\""));
        String timezone = r.timezone() == null || r.timezone().isBlank() ? "UTC" : r.timezone().strip();
        try {
            if (!ZoneId.getAvailableZoneIds().contains(timezone) && !timezone.equals("UTC")) {
                throw new DateTimeException(timezone);
            }
            ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw invalid("\"timezone\" must be an IANA time zone such as \"Europe/Berlin\"");
        }
        int sendHour = r.sendHour() == null ? 8 : r.sendHour();
        if (sendHour < 0 || sendHour > 23) {
            throw invalid("\"sendHour\" must be between 0 and 23");
        }
        int maxPapers = r.maxPapers() == null ? defaultMaxPapers : r.maxPapers();
        if (maxPapers < 1 || maxPapers > MAX_PAPERS) {
            throw invalid("\"maxPapers\" must be between 1 and " + MAX_PAPERS);
        }
        double minScore = r.minScore() == null ? 0 : r.minScore();
        if (minScore < 0 || Double.isNaN(minScore) || Double.isInfinite(minScore)) {
            throw invalid("\"minScore\" must be a number of at least 0");
        }
        return new Normalised(email, hasWebhook ? r.webhookUrl().strip() : null, terms("keywords", r.keywords()),
                terms("excludeKeywords", r.excludeKeywords()), terms("authors", r.authors()), terms("categories", r.categories()),
                minScore, frequency, timezone, sendHour, maxPapers);
    }

    /** Terms from a list, or from one comma-separated form field. */
    public static List<String> split(String commaSeparated) {
        List<String> out = new ArrayList<>();
        if (commaSeparated != null) {
            for (String t : commaSeparated.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.strip());
                }
            }
        }
        return out;
    }

    /** The filter language's term rules, with a subscription's shorter terms and its own refusal. */
    private static List<String> terms(String field, List<String> values) {
        return new ArrayList<>(PaperFilter.terms(values, MAX_TERM_LENGTH, tooLong -> invalid(tooLong
                ? "each of \"" + field + "\" must have at most " + MAX_TERM_LENGTH + " characters"
                : "\"" + field + "\" may hold at most " + MAX_TERMS + " terms")));
    }

    static InvalidSubscriptionException invalid(String detail) {
        return new InvalidSubscriptionException(detail);
    }
}
