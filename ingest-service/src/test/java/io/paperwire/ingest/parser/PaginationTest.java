package io.paperwire.ingest.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Each paginated kind's pages: the next URL from what a page says, the cursor stored, and the resumption from it. */
class PaginationTest {

    private static final URI API = URI.create("http://h/api/query?search_query=cat:cs.LG&start=0&max_results=50");
    private static final URI OAI = URI.create("http://h/oai2?verb=ListRecords&metadataPrefix=arXiv");

    @Test
    void arxivApiPagesByOffsetUntilTheTotal() {
        Pagination p = new ArxivApiPagination();
        URI second = p.next(API, new ParsedListing.Paging(120, 0, 50, null), 50);
        assertThat(second.toString()).isEqualTo("http://h/api/query?search_query=cat:cs.LG&start=50&max_results=50");
        assertThat(p.next(API, new ParsedListing.Paging(120, 100, 50, null), 20)).as("the last page").isNull();
        assertThat(p.next(API, new ParsedListing.Paging(null, null, null, null), 50)).as("no counts, no paging").isNull();
        assertThat(p.cursorOf(second)).isEqualTo("start=50");
        assertThat(p.start(API, "start=50")).isEqualTo(second);
        assertThat(p.start(API, null)).isEqualTo(API);
        assertThat(ArxivApiPagination.withStart(URI.create("http://h/api/query?q=x"), 10).toString())
                .isEqualTo("http://h/api/query?q=x&start=10");
    }

    @Test
    void oaiPmhPagesByResumptionTokenAlone() {
        Pagination p = new OaiPmhPagination();
        URI next = p.next(OAI, new ParsedListing.Paging(null, null, null, "6960524|1001"), 1000);
        assertThat(next.toString()).isEqualTo("http://h/oai2?verb=ListRecords&resumptionToken=6960524%7C1001");
        assertThat(p.cursorOf(next)).isEqualTo("resumptionToken=6960524|1001");
        assertThat(p.start(OAI, "resumptionToken=6960524|1001")).isEqualTo(next);
        assertThat(p.next(OAI, ParsedListing.Paging.NONE, 10)).as("no token: the harvest is complete").isNull();
    }

    @Test
    void aSinglePageSourceHasNoNextPage() {
        assertThat(Pagination.NONE.next(API, new ParsedListing.Paging(120, 0, 50, null), 50)).isNull();
        assertThat(Pagination.NONE.start(API, "start=50")).isEqualTo(API);
    }
}
