package io.paperwire.notify.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** How often a subscriber gets a digest, and so how far back the first one looks; stored as the lower-case name. */
public enum Frequency {
    /** Every day at the send hour. */
    DAILY(Duration.ofDays(1)),
    /** Mondays at the send hour. */
    WEEKLY(Duration.ofDays(7));

    private final Duration period;

    Frequency(Duration period) {
        this.period = period;
    }

    /** How long one period is: what a first digest looks back over. */
    public Duration period() {
        return period;
    }

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The frequency a subscriber wrote ("daily", " Weekly "), or empty for anything else. */
    public static Optional<Frequency> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Frequency f : values()) {
            if (f.value().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value();
    }
}
