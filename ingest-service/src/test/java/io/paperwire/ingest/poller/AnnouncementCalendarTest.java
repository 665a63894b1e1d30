package io.paperwire.ingest.poller;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.ingest.config.SourcesConfig.SourceKind;
import java.net.URI;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
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

    @Test
    void paginationUrlsAndCursors() {
        URI api = URI.create("http://h/api/query?search_query=cat:cs.LG&start=0&max_results=50");
        assertThat(SourcePoller.withStart(api, 50).toString()).isEqualTo("http://h/api/query?search_query=cat:cs.LG&start=50&max_results=50");
        assertThat(SourcePoller.withStart(URI.create("http://h/api/query?q=x"), 10).toString()).isEqualTo("http://h/api/query?q=x&start=10");
        assertThat(SourcePoller.cursorOf(SourceKind.ARXIV_API, SourcePoller.withStart(api, 50))).isEqualTo("start=50");
        URI oai = SourcePoller.oaiContinuation(URI.create("http://h/oai2?verb=ListRecords&metadataPrefix=arXiv"), "6960524|1001");
        assertThat(oai.toString()).isEqualTo("http://h/oai2?verb=ListRecords&resumptionToken=6960524%7C1001");
        assertThat(SourcePoller.cursorOf(SourceKind.ARXIV_OAI, oai)).isEqualTo("resumptionToken=6960524|1001");
    }
}
