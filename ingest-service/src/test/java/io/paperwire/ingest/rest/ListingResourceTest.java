package io.paperwire.ingest.rest;

import static io.paperwire.testing.TopicReader.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.ingest.repository.ListingBatch;
import io.paperwire.ingest.repository.ListingBatchRepository;
import io.paperwire.testing.Harness;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.OperationalEndpoints;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TopicReader;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** Round trip through the real broker and database: a posted listing becomes acknowledged, keyed sightings. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class ListingResourceTest {

    static final String TOKEN = Harness.API_TOKEN;

    static byte[] sample(String name) throws Exception {
        return Files.readAllBytes(Path.of("..", "samples", name));
    }

    @Test
    void postedSampleIsPublishedKeyedAndRecordedOnce() throws Exception {
        String source = "sample-" + UUID.randomUUID().toString().substring(0, 8);
        String batchId = given().auth().oauth2(TOKEN).contentType("text/plain; charset=utf-8")
                .body(sample("000_01ba4ec06044e9a5.txt"))
                .post("/api/v1/listings?source=" + source)
                .then().statusCode(202)
                .body("accepted", equalTo(42))
                .body("rejected.size()", equalTo(0))
                .body("duplicate", equalTo(false))
                .extract().path("batchId");

        {
            List<ConsumerRecord<String, String>> records = TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName())
                    .stream().filter(r -> ("/paperwire/ingest/" + source).equals(header(r, CloudEvents.HEADER_SOURCE))).toList();
            assertThat(records).hasSize(42);
            for (ConsumerRecord<String, String> r : records) {
                PaperSighted s = PaperEventsJson.mapper().readValue(r.value(), PaperSighted.class);
                assertThat(r.key()).isEqualTo(s.titleFingerprint()).isEqualTo(TitleFingerprint.of(s.title()));
                assertThat(header(r, CloudEvents.HEADER_TYPE)).isEqualTo(CloudEvents.TYPE_PAPER_SIGHTED);
                assertThat(header(r, CloudEvents.HEADER_SPEC_VERSION)).isEqualTo("1.0");
                assertThat(header(r, CloudEvents.HEADER_SUBJECT)).isEqualTo(r.key());
                assertThat(header(r, CloudEvents.HEADER_CONTENT_TYPE)).isEqualTo("application/json");
                assertThat(s.source()).isEqualTo(source);
                assertThat(s.sourceKind()).isEqualTo(PaperSighted.SourceKind.LISTING_TEXT);
            }
            assertThat(records.stream().map(r -> header(r, CloudEvents.HEADER_ID)).distinct()).hasSize(42);
            assertThat(records.stream().map(r -> r.partition()).distinct().count()).as("spread over partitions").isGreaterThan(1);
        }

        ListingBatch stored = QuarkusTransaction.requiringNew()
                .call(() -> Arc.container().instance(ListingBatchRepository.class).get().findById(UUID.fromString(batchId)));
        assertThat(stored).isNotNull();
        assertThat(stored.accepted).isEqualTo(42);
        assertThat(stored.source).isEqualTo(source);

        // The same document again publishes nothing new and says so.
        given().auth().oauth2(TOKEN).contentType("text/plain").body(sample("000_01ba4ec06044e9a5.txt"))
                .post("/api/v1/listings?source=" + source)
                .then().statusCode(202).body("duplicate", equalTo(true)).body("batchId", equalTo(batchId));
        // A 202 means acknowledged: anything the replay published would already be on the topic.
        assertThat(TopicReader.fromIngestSource(TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()), source)).isEqualTo(42);
    }

    @Test
    void sameKeyWithTheSameDocumentIsAcceptedOnceAndAnsweredAsAReplay() throws Exception {
        String source = "sample-" + UUID.randomUUID().toString().substring(0, 8);
        String first = given().auth().oauth2(TOKEN).contentType("text/plain").header("Idempotency-Key", "k-same")
                .body(sample("001_0434b3d32f4aa226.txt")).post("/api/v1/listings?source=" + source)
                .then().statusCode(202).body("accepted", equalTo(40)).body("duplicate", equalTo(false)).extract().path("batchId");
        // A client that lost the answer sends the same document under the same key: the same batch, nothing new.
        given().auth().oauth2(TOKEN).contentType("text/plain").header("Idempotency-Key", "k-same")
                .body(sample("001_0434b3d32f4aa226.txt")).post("/api/v1/listings?source=" + source)
                .then().statusCode(202).body("duplicate", equalTo(true)).body("batchId", equalTo(first)).body("accepted", equalTo(40));
        assertThat(TopicReader.fromIngestSource(TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()), source)).isEqualTo(40);
    }

    @Test
    void sameKeyWithAnotherDocumentIsRefused() throws Exception {
        String source = "sample-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TOKEN).contentType("text/plain").header("Idempotency-Key", "k1")
                .body(sample("001_0434b3d32f4aa226.txt")).post("/api/v1/listings?source=" + source)
                .then().statusCode(202).body("accepted", equalTo(40));
        assertThat(TopicReader.fromIngestSource(TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()), source)).isEqualTo(40);
        given().auth().oauth2(TOKEN).contentType("text/plain").header("Idempotency-Key", "k1")
                .body(sample("000_01ba4ec06044e9a5.txt")).post("/api/v1/listings?source=" + source)
                .then().statusCode(422).contentType("application/problem+json")
                .body("title", equalTo("Idempotency-Key reused"));
    }

    @Test
    void withoutTheTokenNothingIsAccepted() throws Exception {
        given().contentType("text/plain").body(sample("000_01ba4ec06044e9a5.txt")).post("/api/v1/listings?source=x")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().auth().oauth2("wrong-token-wrong-token").contentType("text/plain").body("T\n\nA\n")
                .post("/api/v1/listings?source=x")
                .then().statusCode(401).body("status", equalTo(401));
    }

    @Test
    void badRequestsGetProblemDetails() {
        given().auth().oauth2(TOKEN).contentType("application/pdf").body(new byte[] {1, 2, 3})
                .post("/api/v1/listings?source=x")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
        given().auth().oauth2(TOKEN).contentType("text/plain").body("new\n\nSubscribe\n")
                .post("/api/v1/listings?source=x")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", Matchers.containsString("no listing entries"));
        given().auth().oauth2(TOKEN).contentType("text/plain").body("T\n\nA\n")
                .post("/api/v1/listings?source=Not%20A%20Name")
                .then().statusCode(400).body("title", equalTo("Invalid source name"));
    }

    @Test
    void operationalEndpointsAnswer() {
        OperationalEndpoints.assertServed("/api/v1/listings");
    }
}
