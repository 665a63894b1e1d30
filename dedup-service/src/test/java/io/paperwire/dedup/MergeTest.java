package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.dedup.service.ConsolidationService;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperMerged;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestProducer;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Two records that one sighting proves to be the same paper become one: the survivor is published as merged, the
 * absorbed id gets a merged-into event and a tombstone, and its old address redirects to the survivor.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class MergeTest {

    @jakarta.inject.Inject
    ConsolidationService consolidation;

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    long documents(String paperId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from paper_search where paper_id = cast(?1 as uuid)").setParameter(1, paperId).getSingleResult()).longValue());
    }

    @Test
    void aMergeCommittedBeforeACrashIsAnnouncedByTheRedelivery() throws Exception {
        String w = IdentityRulesTest.word();
        String id = IdentityRulesTest.arxiv(w);
        IdentityRulesTest.sight("Crash Merge Title " + w);
        IdentityRulesTest.sight("Crash Merge Renamed " + w, "arXiv:" + id + "v2");
        JsonPath before = IdentityRulesTest.papersWith(w, 2);
        String titleOnly = before.getString("items.find { it.arxivId == null }.id");

        // The linking sighting is consolidated and committed, then the process dies before any send.
        String eventId = UUID.randomUUID().toString();
        String title = "Crash Merge Title " + w;
        PaperSighted linking = new PaperSighted("rules",
                PaperSighted.SourceKind.ARXIV_API, Instant.now(), null, 1, id, null,
                TitleFingerprint.of(title), List.of("arXiv:" + id + "v1"), title, null, null,
                null, null, null, null);
        assertThat(OneSighting.apply(consolidation, eventId, linking).pendingMerges()).extracting(PaperMerged::paperId).containsExactly(titleOnly);
        assertThat(TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()))
                .noneMatch(r -> titleOnly.equals(r.key()) && r.value() == null);

        // After the restart Kafka redelivers it: nothing is counted again, and the owed announcement goes out.
        TestProducer.send(PaperTopic.SIGHTINGS.topicName(), linking.titleFingerprint(),
                PaperEventsJson.mapper().writeValueAsString(linking),
                CloudEvents.headers(eventId, CloudEvents.TYPE_PAPER_SIGHTED, "/test", linking.observedAt(),
                        linking.titleFingerprint(), CloudEvents.SCHEMA_PAPER_SIGHTED));
        await().atMost(Duration.ofSeconds(60)).until(() -> TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()).stream()
                .anyMatch(r -> titleOnly.equals(r.key()) && r.value() == null));
        assertThat(IdentityRulesTest.papersWith(w, 3).getInt("total")).isEqualTo(1);
        assertThat(OneSighting.apply(consolidation, eventId, linking).pendingMerges()).as("announced once acknowledged").isEmpty();
    }

    @Test
    void aSightingThatLinksTwoRecordsMergesThem() throws Exception {
        String w = IdentityRulesTest.word();
        String id = IdentityRulesTest.arxiv(w);
        IdentityRulesTest.sight("Listed Only By Title " + w);                               // record A: title only
        IdentityRulesTest.sight("Renamed On Arxiv " + w, "arXiv:" + id + "v2");             // record B: arXiv id
        JsonPath before = IdentityRulesTest.papersWith(w, 2);
        assertThat(before.getInt("total")).isEqualTo(2);
        String titleOnly = before.getString("items.find { it.arxivId == null }.id");
        String withId = before.getString("items.find { it.arxivId != null }.id");

        IdentityRulesTest.sight("Listed Only By Title " + w, "arXiv:" + id + "v1");         // ties A's title to B's id
        JsonPath after = IdentityRulesTest.papersWith(w, 3);
        assertThat(after.getInt("total")).isEqualTo(1);
        assertThat(after.getString("items[0].id")).isEqualTo(withId);
        assertThat(after.getInt("items[0].sightings")).isEqualTo(3);

        given().redirects().follow(false).get("/api/v1/papers/" + titleOnly).then().statusCode(301)
                .header("Location", Matchers.endsWith("/api/v1/papers/" + withId));
        given().get("/api/v1/papers/" + withId).then().statusCode(200)
                .body("sightingHistory.size()", Matchers.equalTo(3));

        List<ConsumerRecord<String, String>> absorbed = await().atMost(Duration.ofSeconds(60)).until(
                () -> TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()).stream()
                        .filter(r -> titleOnly.equals(r.key())).toList(),
                records -> !records.isEmpty() && records.get(records.size() - 1).value() == null);
        // The search projection forgets the absorbed paper's document once it reads the merge.
        await().atMost(Duration.ofSeconds(60)).until(() -> documents(titleOnly) == 0);
        assertThat(documents(withId)).isEqualTo(1);
        ConsumerRecord<String, String> mergedEvent = absorbed.get(absorbed.size() - 2);
        assertThat(new String(mergedEvent.headers().lastHeader(CloudEvents.HEADER_TYPE).value(), StandardCharsets.UTF_8))
                .isEqualTo(CloudEvents.TYPE_PAPER_MERGED);
        PaperMerged merged = PaperEventsJson.mapper().readValue(mergedEvent.value(), PaperMerged.class);
        assertThat(merged.paperId()).isEqualTo(titleOnly);
        assertThat(merged.mergedInto()).isEqualTo(withId);

        PaperConsolidated survivor = TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()).stream()
                .filter(r -> withId.equals(r.key()) && r.value() != null)
                .map(r -> {
                    try {
                        return PaperEventsJson.mapper().readValue(r.value(), PaperConsolidated.class);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .reduce((a, b) -> b).orElseThrow();
        assertThat(survivor.changeType()).isEqualTo(PaperConsolidated.ChangeType.MERGED);
        assertThat(survivor.sightings()).isEqualTo(3);
    }
}
