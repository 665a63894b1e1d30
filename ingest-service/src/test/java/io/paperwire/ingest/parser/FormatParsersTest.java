package io.paperwire.ingest.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paperwire.events.Link;
import io.paperwire.events.PaperSighted.SourceKind;
import io.paperwire.events.identity.PaperIdentifiers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every listing format on realistic fixtures, including the nasty ones. */
class FormatParsersTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = FormatParsersTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    static ParsedListing parse(String mediaType, byte[] body) throws Exception {
        return ListingFormats.forMediaType(mediaType).orElseThrow().parse(new ByteArrayInputStream(body), TODAY);
    }

    static ParsedListing parse(String mediaType, String fixture) throws Exception {
        return parse(mediaType, fixture(fixture));
    }

    @Test
    void arxivApiEntriesKeepIdsAuthorsCategoriesDoiAndPaging() throws Exception {
        ParsedListing l = parse("application/atom+xml", "arxiv-api.atom.xml");
        assertThat(l.kind()).isEqualTo(SourceKind.ARXIV_API);
        assertThat(l.listingDate()).as("an API result is not a dated listing").isNull();
        assertThat(l.paging()).isEqualTo(new ParsedListing.Paging(5, 0, 2, null));
        assertThat(l.entries()).hasSize(2);

        ParsedEntry first = l.entries().get(0);
        assertThat(first.title()).isEqualTo(
                "Initialization using Update Approximation is a Silver Bullet for Extremely Efficient Low-Rank Fine-Tuning");
        assertThat(first.abstractText()).startsWith("Low-rank adapters have become standard for efficiently fine-tuning large language")
                .contains("$\\mathcal{O}(r)$").doesNotContain("\n");
        assertThat(first.authors()).containsExactly("Kaustubh Ponkshe", "Raphaël Bonnet");
        assertThat(first.categories()).containsExactly("cs.LG", "cs.CL");
        assertThat(first.links()).contains(new Link("pdf", "http://arxiv.org/pdf/2401.12345v2"),
                new Link("abstract", "http://arxiv.org/abs/2401.12345v2"));
        PaperIdentifiers ids = PaperIdentifiers.resolve(first.rawIdentifiers());
        assertThat(ids.arxivId()).isEqualTo("2401.12345");
        assertThat(ids.doi()).isEqualTo("10.1145/3292500.3330701");

        ParsedEntry old = l.entries().get(1);
        assertThat(PaperIdentifiers.resolve(old.rawIdentifiers()).arxivId()).isEqualTo("solv-int/9901001");
        assertThat(old.title()).isEqualTo("On the Poincar\\'e Duality of $\\alpha$-Solitons & Their Kin");
        assertThat(old.authors()).containsExactly("Kurt Gödel");
    }

    @Test
    void arxivApiErrorEntriesAreReportedNotIngested() throws Exception {
        ParsedListing l = parse("application/atom+xml", "arxiv-api-error.atom.xml");
        assertThat(l.entries()).isEmpty();
        assertThat(l.rejected()).singleElement().satisfies(r -> {
            assertThat(r.index()).isZero();
            assertThat(r.reason()).contains("arXiv API error", "incorrect id format for 1234.12345xyz");
        });
    }

    @Test
    void arxivAtomFeedStripsAnnouncePrefixesAndSplitsCreators() throws Exception {
        ParsedListing l = parse("application/atom+xml", "arxiv-feed.atom.xml");
        assertThat(l.kind()).isEqualTo(SourceKind.ARXIV_FEED);
        assertThat(l.listingDate()).isEqualTo(LocalDate.of(2026, 11, 19));
        assertThat(l.entries()).hasSize(2);
        ParsedEntry e = l.entries().get(0);
        assertThat(e.title()).isEqualTo("Sparse Mixture-of-Experts at Scale");
        assertThat(e.abstractText()).isEqualTo("We scale sparse experts.");
        assertThat(e.authors()).containsExactly("Ana Pérez", "Björn Müller", "Chen Wei");
        assertThat(PaperIdentifiers.resolve(e.rawIdentifiers()).arxivId()).isEqualTo("2411.00001");
        assertThat(l.entries().get(1).abstractText()).isEqualTo("Now with more experiments.");
        assertThat(l.entries().get(1).categories()).containsExactly("cs.LG", "stat.ML");
    }

    @Test
    void anEmptyFeedIsAnEmptyListingNotAnError() throws Exception {
        ParsedListing l = parse("application/atom+xml", "arxiv-feed-empty.atom.xml");
        assertThat(l.entries()).isEmpty();
        assertThat(l.rejected()).isEmpty();
    }

    @Test
    void rss2FeedReadsItemsWithEntitiesAndGuids() throws Exception {
        ParsedListing l = parse("application/rss+xml", "arxiv.rss.xml");
        assertThat(l.kind()).isEqualTo(SourceKind.ARXIV_FEED);
        assertThat(l.listingDate()).isEqualTo(LocalDate.of(2026, 11, 19));
        assertThat(l.entries()).hasSize(2);
        ParsedEntry e = l.entries().get(0);
        assertThat(e.abstractText()).isEqualTo("We scale sparse experts & routers.");
        assertThat(e.authors()).containsExactly("Ana Pérez", "Björn Müller", "Chen Wei");
        assertThat(PaperIdentifiers.resolve(e.rawIdentifiers()).arxivId()).isEqualTo("2411.00001");
        assertThat(l.entries().get(1).title()).isEqualTo("Cross-listed: Graphs <i>and</i> Things");
        assertThat(l.entries().get(1).categories()).containsExactly("cs.DM", "cs.LG");
    }

    @Test
    void rss1RdfFeedIsReadToo() throws Exception {
        String rdf = """
                <?xml version="1.0"?>
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                         xmlns:dc="http://purl.org/dc/elements/1.1/">
                  <channel rdf:about="http://arxiv.org/rss/cs.LG"><title>cs.LG</title><dc:date>2026-11-19T20:30:00-05:00</dc:date></channel>
                  <item rdf:about="http://arxiv.org/abs/2411.00003">
                    <title>Old Style Feed Item. (arXiv:2411.00003v1 [cs.LG])</title>
                    <link>http://arxiv.org/abs/2411.00003</link>
                    <description>Abstract text.</description>
                    <dc:creator>A. Author, B. Author</dc:creator>
                  </item>
                </rdf:RDF>
                """;
        ParsedListing l = parse("application/rss+xml", rdf.getBytes(StandardCharsets.UTF_8));
        assertThat(l.entries()).singleElement().satisfies(e -> {
            assertThat(PaperIdentifiers.resolve(e.rawIdentifiers()).arxivId()).isEqualTo("2411.00003");
            assertThat(e.authors()).containsExactly("A. Author", "B. Author");
        });
        assertThat(l.listingDate()).as("the day as the feed wrote it").isEqualTo(LocalDate.of(2026, 11, 19));
    }

    @Test
    void oaiPmhRecordsDeletedRecordsAndResumptionToken() throws Exception {
        ParsedListing l = parse("application/xml", "oai-listrecords.xml");
        assertThat(l.kind()).isEqualTo(SourceKind.ARXIV_OAI);
        assertThat(l.paging().resumptionToken()).isEqualTo("6960524|1001");
        assertThat(l.paging().totalResults()).isEqualTo(3500);
        assertThat(l.entries()).hasSize(2);
        ParsedEntry e = l.entries().get(0);
        assertThat(e.title()).isEqualTo("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies");
        assertThat(e.authors()).containsExactly("C. Balázs", "E. L. Berger", "P. M. Nadolsky");
        assertThat(e.categories()).containsExactly("hep-ph", "hep-ex");
        PaperIdentifiers ids = PaperIdentifiers.resolve(e.rawIdentifiers());
        assertThat(ids.arxivId()).isEqualTo("0704.0001");
        assertThat(ids.doi()).isEqualTo("10.1103/physrevd.76.013009");
        assertThat(l.rejected()).singleElement().satisfies(r -> {
            assertThat(r.index()).isEqualTo(1);
            assertThat(r.reason()).isEqualTo("deleted record oai:arXiv.org:0704.0002");
        });
        assertThat(PaperIdentifiers.resolve(l.entries().get(1).rawIdentifiers()).arxivId()).isEqualTo("solv-int/9901001");
        assertThat(l.entries().get(1).authors()).containsExactly("Hans Müller");
    }

    @Test
    void oaiPmhNoRecordsIsEmptyAndOtherErrorsAreUnparseable() throws Exception {
        assertThat(parse("application/xml", "oai-norecords.xml").entries()).isEmpty();
        assertThatThrownBy(() -> parse("application/xml", "oai-badargument.xml"))
                .isInstanceOf(ListingParseException.class).hasMessageContaining("badArgument");
    }

    @Test
    void hfDailyPapersUsesThePaperAndTheListingDayAndReportsBadElements() throws Exception {
        ParsedListing l = parse("application/json", "hf-daily-papers.json");
        assertThat(l.kind()).isEqualTo(SourceKind.HF_DAILY_PAPERS);
        assertThat(l.listingDate()).as("top-level publishedAt, not the paper's arXiv date").isEqualTo(LocalDate.of(2026, 3, 11));
        assertThat(l.entries()).hasSize(2);
        ParsedEntry e = l.entries().get(0);
        assertThat(PaperIdentifiers.resolve(e.rawIdentifiers()).arxivId()).isEqualTo("2401.12345");
        assertThat(e.upvotes()).isEqualTo(42);
        assertThat(e.authors()).containsExactly("Kaustubh Ponkshe", "Raghav Singhal");
        assertThat(e.keywords()).containsExactly("low-rank adaptation", "fine-tuning");
        assertThat(e.links()).contains(new Link("code", "https://github.com/example/lora-sb"));
        assertThat(l.entries().get(1).authors()).containsExactly("Zoë Ångström");
        assertThat(l.rejected()).extracting(ParsedListing.RejectedEntry::index).containsExactly(2, 3);
        assertThat(l.rejected().get(0).reason()).contains("not a JSON object");
        assertThat(l.rejected().get(1).reason()).contains("no title");
    }

    @Test
    void hfDailyPapersGivesEachEntryItsOwnDay() throws Exception {
        // Each distinct timestamp is parsed once per document; an entry must still get its own, not its neighbour's.
        String json = "[" + String.join(",",
                "{\"paper\": {\"id\": \"2401.00001\", \"title\": \"One\"}, \"publishedAt\": \"2026-03-11T08:00:00.000Z\"}",
                "{\"paper\": {\"id\": \"2401.00002\", \"title\": \"Two\"}, \"publishedAt\": \"2026-03-11T08:00:00.000Z\"}",
                "{\"paper\": {\"id\": \"2401.00003\", \"title\": \"Three\"}, \"publishedAt\": \"2026-03-12T08:00:00.000Z\"}",
                "{\"paper\": {\"id\": \"2401.00004\", \"title\": \"Four\"}}",
                "{\"paper\": {\"id\": \"2401.00005\", \"title\": \"Five\", \"submittedOnDailyAt\": \"2026-03-12T01:00:00Z\"}}",
                "{\"paper\": {\"id\": \"2401.00006\", \"title\": \"Six\"}, \"publishedAt\": \"2026-03-11T08:00:00.000Z\"}") + "]";
        ParsedListing l = parse("application/json", json.getBytes(StandardCharsets.UTF_8));
        assertThat(l.entries()).extracting(ParsedEntry::listingDate).containsExactly(LocalDate.of(2026, 3, 11),
                LocalDate.of(2026, 3, 11), LocalDate.of(2026, 3, 12), null, LocalDate.of(2026, 3, 12), LocalDate.of(2026, 3, 11));
        assertThat(l.listingDate()).isEqualTo(LocalDate.of(2026, 3, 11));
    }

    @ParameterizedTest(name = "{0} truncated")
    @CsvSource({
        "application/atom+xml, arxiv-api.atom.xml",
        "application/atom+xml, arxiv-feed.atom.xml",
        "application/rss+xml, arxiv.rss.xml",
        "application/xml, oai-listrecords.xml",
        "application/json, hf-daily-papers.json",
    })
    void truncatedDocumentsAreUnparseableAsAWhole(String type, String fixture) throws Exception {
        byte[] full = fixture(fixture);
        byte[] cut = Arrays.copyOf(full, full.length * 2 / 3);
        assertThatThrownBy(() -> parse(type, cut)).isInstanceOf(ListingParseException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void wrongRootsAndHostileXmlAreRefused() {
        assertThatThrownBy(() -> parse("application/atom+xml", "<html><body>nope</body></html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ListingParseException.class).hasMessageContaining("<html>");
        assertThatThrownBy(() -> parse("application/rss+xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\"/>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ListingParseException.class);
        assertThatThrownBy(() -> parse("application/json", "{\"not\": \"an array\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ListingParseException.class).hasMessageContaining("JSON array");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE feed [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>http://arxiv.org/abs/2401.00001</id><title>&x;</title></entry></feed>";
        assertThatThrownBy(() -> parse("application/atom+xml", xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ListingParseException.class);
        assertThatThrownBy(() -> parse("application/xml", "<other/>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ListingParseException.class).hasMessageContaining("neither OAI-PMH, Atom nor RSS");
        assertThat(ListingFormats.forMediaType("application/pdf")).isEmpty();
        assertThat(ListingFormats.forMediaType("text/plain; charset=utf-8")).isPresent();
    }
}
