package io.paperwire.ingest.rest;

import static io.paperwire.testing.TopicReader.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.PaperIdentifiers;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.ingest.parser.ListingFormats;
import io.paperwire.ingest.parser.ParsedEntry;
import io.paperwire.ingest.parser.ParsedListing;
import io.paperwire.testing.Harness;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every listing type through the real broker: what lands on the topic is exactly what the document said. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class ListingFormatsEndToEndTest {

    static final String TOKEN = Harness.API_TOKEN;

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = ListingFormatsEndToEndTest.class.getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "application/atom+xml, arxiv-api.atom.xml, ARXIV_API, 2, 0",
        "application/atom+xml, arxiv-api-error.atom.xml, ARXIV_API, 0, 1",
        "application/atom+xml, arxiv-feed.atom.xml, ARXIV_FEED, 2, 0",
        "application/atom+xml, arxiv-feed-empty.atom.xml, ARXIV_FEED, 0, 0",
        "application/rss+xml, arxiv.rss.xml, ARXIV_FEED, 2, 0",
        "application/xml, oai-listrecords.xml, ARXIV_OAI, 2, 1",
        "application/json, hf-daily-papers.json, HF_DAILY_PAPERS, 2, 2",
    })
    void publishedSightingsMatchTheDocument(String type, String fixture, PaperSighted.SourceKind kind, int accepted,
            int rejected) throws Exception {
        String source = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] body = fixture(fixture);
        given().auth().oauth2(TOKEN).contentType(type).body(body).post("/api/v1/listings?source=" + source)
                .then().statusCode(202)
                .body("accepted", equalTo(accepted))
                .body("rejected.size()", equalTo(rejected));

        List<PaperSighted> published = TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()).stream()
                .filter(r -> header(r, CloudEvents.HEADER_SOURCE).equals("/paperwire/ingest/" + source))
                .map(ListingFormatsEndToEndTest::event)
                .sorted(Comparator.comparing(PaperSighted::rank))
                .toList();
        assertThat(published).hasSize(accepted);
        // Parsed as the service parsed it: "today" is the day it observed the document (UTC), not the test's today,
        // which differs when the two straddle midnight.
        ParsedListing expected = ListingFormats.forMediaType(type).orElseThrow()
                .parse(new ByteArrayInputStream(body), published.isEmpty() ? LocalDate.EPOCH
                        : LocalDate.ofInstant(published.get(0).observedAt(), ZoneOffset.UTC));
        for (int i = 0; i < accepted; i++) {
            PaperSighted s = published.get(i);
            ParsedEntry e = expected.entries().get(i);
            PaperIdentifiers ids = PaperIdentifiers.resolve(e.rawIdentifiers());
            assertThat(s.sourceKind()).isEqualTo(kind);
            assertThat(s.rank()).isEqualTo(e.index() + 1);
            assertThat(s.title()).isEqualTo(e.title());
            assertThat(s.titleFingerprint()).isEqualTo(TitleFingerprint.of(e.title()));
            assertThat(s.abstractText()).isEqualTo(e.abstractText());
            assertThat(s.arxivId()).isEqualTo(ids.arxivId());
            assertThat(s.doi()).isEqualTo(ids.doi());
            assertThat(s.rawIdentifiers()).isEqualTo(ids.rawIdentifiers());
            assertThat(s.authors()).isEqualTo(e.authors());
            assertThat(s.categories()).isEqualTo(e.categories());
            assertThat(s.upvotes()).isEqualTo(e.upvotes());
            assertThat(s.links()).isEqualTo(e.links());
            assertThat(s.keywords()).isEqualTo(e.keywords());
            assertThat(s.listingDate()).isEqualTo(e.listingDate() != null ? e.listingDate() : expected.listingDate());
        }
    }

    @Test
    void unparseableDocumentsPublishNothing() throws Exception {
        String source = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] full = fixture("arxiv.rss.xml");
        given().auth().oauth2(TOKEN).contentType("application/rss+xml")
                .body(Arrays.copyOf(full, full.length / 2))
                .post("/api/v1/listings?source=" + source)
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Listing cannot be parsed"));
        given().auth().oauth2(TOKEN).contentType("application/xml").body(fixture("oai-badargument.xml"))
                .post("/api/v1/listings?source=" + source)
                .then().statusCode(400).body("detail", Matchers.containsString("badArgument"));
        assertThat(TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()))
                .noneMatch(r -> header(r, CloudEvents.HEADER_SOURCE).equals("/paperwire/ingest/" + source));
    }

    @Test
    void tooLargeDocumentsAreRefusedWith413() {
        byte[] big = new byte[1024 * 1024 + 1];
        Arrays.fill(big, (byte) 'a');
        given().auth().oauth2(TOKEN).contentType("text/plain").body(big).post("/api/v1/listings?source=big")
                .then().statusCode(413).contentType("application/problem+json")
                .body("title", equalTo("Listing too large"));
    }

    static PaperSighted event(ConsumerRecord<String, String> r) {
        try {
            return PaperEventsJson.mapper().readValue(r.value(), PaperSighted.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
