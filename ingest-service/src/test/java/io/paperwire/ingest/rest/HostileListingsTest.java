package io.paperwire.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.SightingLimits;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.Harness;
import io.paperwire.testing.HostileCorpus;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The hostile corpus through the real API and broker: every answer is a 202 or a 4xx problem, never a 5xx; the good
 * entries that travelled with bad ones are published; nothing published breaks the contract's limits.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class HostileListingsTest {

    static final String TOKEN = Harness.API_TOKEN;
    /** The test profile's paperwire.ingest.max-document-size. */
    static final long MAX_BYTES = 1024 * 1024;

    @Test
    void everyHostileDocumentGetsA202OrA4xxProblemAndOnlyCleanBoundedSightingsArePublished() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String source = "hostile-" + marker;
        for (HostileCorpus.Document d : HostileCorpus.documents(marker, MAX_BYTES)) {
            ExtractableResponse<Response> r = given().auth().oauth2(TOKEN).contentType(d.contentType()).body(d.body().get())
                    .post("/api/v1/listings?source=" + source).then().extract();
            assertThat(r.statusCode()).as(d.name() + " (" + d.why() + "): " + r.body().asString()).isEqualTo(d.status());
            if (d.status() == 202) {
                assertThat(r.jsonPath().getInt("accepted")).as(d.name()).isGreaterThanOrEqualTo(d.goodTitles().size());
                assertThat(r.jsonPath().getList("rejected")).as(d.name()).hasSizeLessThanOrEqualTo(100);
            } else {
                assertThat(r.contentType()).as(d.name()).startsWith("application/problem+json");
                assertThat(r.jsonPath().getString("detail")).as(d.name()).isNotBlank();
            }
        }

        List<PaperSighted> published = TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()).stream()
                .filter(r -> TopicReader.header(r, CloudEvents.HEADER_SOURCE).equals("/paperwire/ingest/" + source))
                .map(ListingFormatsEndToEndTest::event).toList();
        for (PaperSighted s : published) {
            assertThat(SightingLimits.violation(s)).as(s.title()).isNull();
            assertThat(s.title() + s.abstractText()).as("folded and clean").doesNotContain("\u0000", "\u0001", "\n", "\t", "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
        }
        List<String> titles = published.stream().map(PaperSighted::title).toList();
        for (HostileCorpus.Document d : HostileCorpus.documents(marker, MAX_BYTES)) {
            assertThat(titles).as(d.name()).containsAll(d.goodTitles());
        }
        PaperSighted manyAuthors = published.stream().filter(s -> s.title().startsWith("Hostile Corpus Good Entry Three")).findFirst().orElseThrow();
        assertThat(manyAuthors.authors()).hasSize(SightingLimits.AUTHORS).startsWith("Author 0");
        assertThat(titles).noneMatch(t -> t.startsWith("Abstract Too Long") || t.startsWith("TTTT"));
        PaperSighted endless = published.stream().filter(p -> p.title().startsWith("Endless Links")).findFirst().orElseThrow();
        assertThat(endless.links()).hasSize(SightingLimits.LINKS).first().extracting(l -> l.href()).isEqualTo("https://mirror.example/0");
        assertThat(endless.categories()).hasSize(SightingLimits.CATEGORIES).startsWith("c0");
        assertThat(published.stream().filter(p -> p.title().startsWith("Name Too Long")).findFirst().orElseThrow().authors())
                .as("the over-long name left out").isEmpty();
    }

    @Test
    void aDocumentOfManyBadEntriesListsTheFirstHundredAndCountsThemAll() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            text.append("!!!\n\nan abstract of a title without letters\n\n");
        }
        text.append("One Good Entry ").append(UUID.randomUUID()).append("\n\nIts abstract.\n");
        ExtractableResponse<Response> r = given().auth().oauth2(TOKEN).contentType("text/plain").body(text.toString())
                .post("/api/v1/listings?source=many-bad").then().statusCode(202).extract();
        assertThat(r.jsonPath().getInt("accepted")).isEqualTo(1);
        assertThat(r.jsonPath().getInt("rejectedCount")).isEqualTo(150);
        assertThat(r.jsonPath().getList("rejected")).hasSize(100);
        assertThat(r.jsonPath().getInt("rejected[99].index")).isEqualTo(99);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413() {
        // No Content-Length: the limit is enforced while reading, not only from the declared length.
        byte[] big = new byte[(int) MAX_BYTES + 1];
        Arrays.fill(big, (byte) 'a');
        given().auth().oauth2(TOKEN).contentType("text/plain").body(new ByteArrayInputStream(big))
                .post("/api/v1/listings?source=chunked").then().statusCode(413).contentType("application/problem+json");
    }
}
