package io.paperwire.notify.site;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/** The spans the trending page lists papers by (days in UTC, weeks from Monday, calendar months), and their labels. */
public enum Period {
    DAY, WEEK, MONTH;

    private static final DateTimeFormatter DAY_LABEL = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter MONTH_LABEL = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

    public static Optional<Period> parse(String s) {
        if (s == null || s.isBlank()) {
            return Optional.of(DAY);
        }
        for (Period p : values()) {
            if (p.value().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** As it is written in a URL. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The first day of the span holding {@code date}. */
    public LocalDate first(LocalDate date) {
        return switch (this) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
        };
    }

    /** The first day of the next span. */
    public LocalDate after(LocalDate date) {
        LocalDate first = first(date);
        return switch (this) {
            case DAY -> first.plusDays(1);
            case WEEK -> first.plusWeeks(1);
            case MONTH -> first.plusMonths(1);
        };
    }

    /** The first day of the span before. */
    public LocalDate before(LocalDate date) {
        LocalDate first = first(date);
        return switch (this) {
            case DAY -> first.minusDays(1);
            case WEEK -> first.minusWeeks(1);
            case MONTH -> first.minusMonths(1);
        };
    }

    public Instant start(LocalDate date) {
        return first(date).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant end(LocalDate date) {
        return after(date).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** "Tuesday 1 December 2026", "Week of 30 November 2026", "December 2026". */
    public String label(LocalDate date) {
        return switch (this) {
            case DAY -> DAY_LABEL.format(date);
            case WEEK -> "Week of " + DAY_LABEL.format(first(date)).replaceFirst("^\\w+ ", "");
            case MONTH -> MONTH_LABEL.format(date);
        };
    }
}
