package io.paperwire.ingest.poller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnnouncementCalendarTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-11-22T12:00:00-05:00[America/New_York], true",   // Sunday
        "2026-11-19T12:00:00-05:00[America/New_York], true",   // Thursday
        "2026-11-20T12:00:00-05:00[America/New_York], false",  // Friday
        "2026-11-21T23:00:00-05:00[America/New_York], false",  // Saturday night
        "2026-11-21T03:30:00Z, false",                          // Friday 22:30 in New York
    })
    void announcementDaysAreSundayToThursdayInNewYork(String at, boolean announcing) {
        assertThat(AnnouncementCalendar.isAnnouncementDay(ZonedDateTime.parse(at).toInstant())).isEqualTo(announcing);
    }
}
