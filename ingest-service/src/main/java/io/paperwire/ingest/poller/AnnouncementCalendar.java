package io.paperwire.ingest.poller;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * arXiv announces new papers Sunday to Thursday evenings (US Eastern); its feeds are empty on Friday and
 * Saturday by design. An empty feed on an announcement day, though, is a source gone silent.
 */
public final class AnnouncementCalendar {

    static final ZoneId ARXIV_ZONE = ZoneId.of("America/New_York");

    private AnnouncementCalendar() {
    }

    /** True when a feed fetched at {@code at} should carry the latest announcement. */
    public static boolean isAnnouncementDay(Instant at) {
        DayOfWeek day = ZonedDateTime.ofInstant(at, ARXIV_ZONE).getDayOfWeek();
        return day != DayOfWeek.FRIDAY && day != DayOfWeek.SATURDAY;
    }
}
