package io.paperwire.notify.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a subscriber is reached; stored, shown and used as a metric tag as the lower-case name. */
public enum SubscriptionKind {
    EMAIL, WEBHOOK;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SubscriptionKind of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value();
    }
}
