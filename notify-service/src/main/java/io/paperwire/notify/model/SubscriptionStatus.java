package io.paperwire.notify.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a subscription is in its life; stored and shown as the lower-case name. */
public enum SubscriptionStatus {
    /** An email subscription waiting for its owner to follow the confirmation link. */
    PENDING,
    /** Receives digests. */
    ACTIVE,
    /** Its owner paused it; resumes on request. */
    PAUSED,
    /** Its owner left; subscribing again starts over. */
    UNSUBSCRIBED,
    /** The mail server refused its address for good. */
    BOUNCED,
    /** A webhook switched off after failing digest after digest; its owner may resume it. */
    FAILED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SubscriptionStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Anything but unsubscribed holds its address or URL: another subscription may not take it. */
    public boolean live() {
        return this != UNSUBSCRIBED;
    }

    @Override
    public String toString() {
        return value();
    }
}
