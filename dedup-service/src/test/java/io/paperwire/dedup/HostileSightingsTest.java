package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.Link;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.SightingLimits;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestIds;
import io.paperwire.testing.TestProducer;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Records that reached the sightings topic without ingest's cleaning (another producer, an older ingest): each bad one
 * goes to the DLQ with its reason, the good ones around it on the same partition are consolidated in order, and
 * consolidation is never left stalled.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class HostileSightingsTest {

    static PaperSighted sighting(String title, Instant observedAt, String arxivId, List<Link> links, List<String> categories) {
        return new PaperSighted("hostile", PaperSighted.SourceKind.ARXIV_API, observedAt, null, 1, arxivId, null,
                TitleFingerprint.of(title), null, title, "An abstract.", List.of("Ada Lovelace"), categories, 1, links, null);
    }

    static String send(String key, PaperSighted s) throws Exception {
        String id = UUID.randomUUID().toString();
        TestProducer.send(PaperTopic.SIGHTINGS.topicName(), key, PaperEventsJson.mapper().writeValueAsString(s),
                CloudEvents.headers(id, CloudEvents.TYPE_PAPER_SIGHTED, "/test", Instant.now(), key, CloudEvents.SCHEMA_PAPER_SIGHTED));
        return id;
    }

    static Optional<ConsumerRecord<String, String>> deadLetter(String eventId) {
        return TopicReader.readToEnd(PaperTopic.SIGHTINGS_DLQ.topicName()).stream()
                .filter(r -> r.headers().lastHeader(CloudEvents.HEADER_ID) != null
                        && eventId.equals(new String(r.headers().lastHeader(CloudEvents.HEADER_ID).value(), StandardCharsets.UTF_8)))
                .findFirst();
    }

    static String reason(ConsumerRecord<String, String> r) {
        return new String(r.headers().lastHeader(CloudEvents.HEADER_DLQ_REASON).value(), StandardCharsets.UTF_8);
    }

    static Optional<PaperConsolidated> state(String fingerprint) {
        return TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()).stream()
                .filter(ConsolidationRoundTripTest::isState).map(ConsolidationRoundTripTest::parse)
                .filter(p -> p.titleFingerprint().equals(fingerprint))
                .reduce((a, b) -> b);
    }

    @Test
    void badRecordsGoToTheDlqAndTheGoodOnesAroundThemAreConsolidated() throws Exception {
        // One key, so one partition and very likely one batch: the bad records sit between good ones.
        String key = "hostile-" + UUID.randomUUID();
        String before = "Before The Hostile Records " + UUID.randomUUID();
        String after = "After The Hostile Records " + UUID.randomUUID();
        send(key, sighting(before, Instant.now(), null, null, null));
        // A NUL in the title: PostgreSQL would refuse it (SQLSTATE 22021) and retrying would never help.
        String nul = send(key, sighting("Null\u0000Byte " + UUID.randomUUID(), Instant.now(), null, null, null));
        // Valid by every limit, but a time PostgreSQL cannot store (SQLSTATE 22008): only the database can tell.
        String farFuture = send(key, sighting("Far Future " + UUID.randomUUID(), Instant.parse("+300000-01-01T00:00:00Z"), null,
                null, null));
        send(key, sighting(after, Instant.now(), null, null, null));

        ConsumerRecord<String, String> nulDead = await().atMost(Duration.ofSeconds(60))
                .until(() -> deadLetter(nul), Optional::isPresent).get();
        assertThat(reason(nulDead)).contains("title has a character that is not allowed", "U+0000");
        ConsumerRecord<String, String> futureDead = await().atMost(Duration.ofSeconds(60))
                .until(() -> deadLetter(farFuture), Optional::isPresent).get();
        assertThat(reason(futureDead)).contains("SQLSTATE 22", "out of range").doesNotContain("insert into").hasSizeLessThan(1_000);
        assertThat(futureDead.key()).isEqualTo(key);

        await().atMost(Duration.ofSeconds(60)).until(() -> state(TitleFingerprint.of(before)), Optional::isPresent);
        await().atMost(Duration.ofSeconds(60)).until(() -> state(TitleFingerprint.of(after)), Optional::isPresent);
        given().get("/api/v1/status").then().statusCode(200).body("stalled", equalTo(false));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aPaperSeenWithEndlessLinksAndCategoriesKeepsABoundedState() throws Exception {
        String title = "A Paper Listed Everywhere " + UUID.randomUUID();
        String arxivId = TestIds.arxivId();
        String key = TitleFingerprint.of(title);
        for (int round = 0; round < 4; round++) {
            int r = round;
            List<Link> links = IntStream.range(0, SightingLimits.LINKS)
                    .mapToObj(i -> new Link("mirror", "https://mirror" + r + ".example/" + i)).toList();
            List<String> categories = IntStream.range(0, SightingLimits.CATEGORIES).mapToObj(i -> "cat" + r + "." + i).toList();
            send(key, sighting(title, Instant.now(), arxivId, links, categories));
        }
        PaperConsolidated last = await().atMost(Duration.ofSeconds(60))
                .until(() -> state(key), s -> s.isPresent() && s.get().sightings() == 4).get();
        assertThat(last.links()).hasSize(SightingLimits.STATE_LINKS);
        assertThat(last.links().get(0).href()).as("the first seen are kept").isEqualTo("https://mirror0.example/0");
        assertThat(last.categories()).hasSize(SightingLimits.STATE_CATEGORIES);
    }
}
