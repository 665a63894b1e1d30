package io.paperwire.notify.rest;

import io.paperwire.notify.subscription.InvalidSubscriptionException;
import io.paperwire.notify.subscription.SubscriptionRequest;
import io.paperwire.notify.subscription.SubscriptionRules;
import jakarta.ws.rs.FormParam;

/**
 * The subscribe form's fields as typed, so that a preview or a refusal shows the form again as the reader left it.
 * Every field is text here; {@code SubscriptionRules} and the filter language check them.
 */
public class SiteForm {

    @FormParam("email")
    public String email;
    @FormParam("keywords")
    public String keywords;
    @FormParam("excludeKeywords")
    public String excludeKeywords;
    @FormParam("authors")
    public String authors;
    @FormParam("categories")
    public String categories;
    @FormParam("minScore")
    public String minScore;
    @FormParam("frequency")
    public String frequency;
    @FormParam("timezone")
    public String timezone;
    @FormParam("sendHour")
    public String sendHour;
    @FormParam("maxPapers")
    public String maxPapers;

    /** The form as a template shows it: blank fields, the defaults where a subscription has one, and an error if any. */
    public record Shown(String email, String keywords, String excludeKeywords, String authors, String categories, String minScore,
            String frequency, String timezone, String sendHour, String maxPapers, String error) {
    }

    static Shown blank() {
        return new Shown("", "", "", "", "", "", "daily", "UTC", "8", "10", null);
    }

    Shown shown(String error) {
        return new Shown(text(email), text(keywords), text(excludeKeywords), text(authors), text(categories), text(minScore),
                frequency == null ? "daily" : frequency.strip(), timezone == null ? "UTC" : timezone.strip(), text(sendHour),
                text(maxPapers), error);
    }

    /** The request these fields make; a number that is not one is refused as the API refuses it. */
    SubscriptionRequest request() {
        return new SubscriptionRequest(email, null, SubscriptionRules.split(keywords), SubscriptionRules.split(excludeKeywords),
                SubscriptionRules.split(authors), SubscriptionRules.split(categories), number(minScore, "minScore"), frequency, timezone,
                integer(sendHour, "sendHour"), integer(maxPapers, "maxPapers"));
    }

    static Double number(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSubscriptionException("\"" + field + "\" must be a number");
        }
    }

    static Integer integer(String value, String field) {
        Double d = number(value, field);
        if (d != null && d != Math.rint(d)) {
            throw new InvalidSubscriptionException("\"" + field + "\" must be a whole number");
        }
        return d == null ? null : d.intValue();
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }
}
