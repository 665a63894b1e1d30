package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.dedup.service.ConsolidationService;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The process dies after the catalogue transaction committed and before the new state reached Kafka. The
 * sighting's offset was never committed, so Kafka redelivers it after the restart; the redelivery must publish
 * the state the crash swallowed, and count nothing twice.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class CrashBetweenCommitAndPublishTest {

    @Inject
    ConsolidationService consolidation;

    @Test
    void theRedeliveredSightingPublishesTheSwallowedState() throws Exception {
        String title = "Crash Window " + UUID.randomUUID();
        String fp = TitleFingerprint.of(title);
        String eventId = UUID.randomUUID().toString();
        Instant at = Instant.now();

        // Up to the crash: the transaction commits, the send never happens.
        PaperConsolidated committed = OneSighting.apply(consolidation, eventId, new PaperSighted("crash", PaperSighted.SourceKind.LISTING_TEXT,
                at, null, 1, null, null, fp, null, title, null, null, null, null, null, null)).state();
        assertThat(stateOnTopic(fp)).as("nothing was published before the crash").isEmpty();

        // After the restart: Kafka redelivers the uncommitted record.
        PapersApiTest.sight(eventId, "crash", title, null, at);
        PaperConsolidated published = await().atMost(Duration.ofSeconds(60)).until(() -> stateOnTopic(fp), Optional::isPresent).get();
        assertThat(published.paperId()).isEqualTo(committed.paperId());
        assertThat(published.revision()).isEqualTo(committed.revision());
        assertThat(published.sightings()).as("the redelivery is not counted again").isEqualTo(1);
    }

    @Test
    void everyStateHandedToKafkaIsAlreadyCommittedSoACrashCannotLeaveAPhantom() throws Exception {
        String title = "Phantom Check " + IdentityRulesTest.word();
        String fp = TitleFingerprint.of(title);
        PaperSighted s = new PaperSighted("crash", PaperSighted.SourceKind.LISTING_TEXT, Instant.now(), null, 1, null, null, fp, null,
                title, null, null, null, null, null, null);
        List<Integer> seenByAnotherConnection = new ArrayList<>();
        int sent = consolidation.publishCommitted(consolidation.applyBatch(List.of(new ConsolidationService.Input(UUID.randomUUID().toString(), s))),
                (states, merges) -> states.forEach(p -> seenByAnotherConnection.add(
                        given().get("/api/v1/papers/" + p.paperId()).then().extract().statusCode())));
        assertThat(sent).isEqualTo(1);
        assertThat(seenByAnotherConnection).as("while the state is being sent, the API (another connection) already has its paper")
                .containsExactly(200);
    }

    @Test
    void aStateOvertakenByANewerCommitIsNeverSentSoTheTopicEndsOnTheNewest() throws Exception {
        String title = "Overtaken " + IdentityRulesTest.word();
        String fp = TitleFingerprint.of(title);
        Instant at = Instant.now();
        PaperSighted s = new PaperSighted("crash", PaperSighted.SourceKind.LISTING_TEXT, at, null, 1, null, null, fp, null, title, null,
                null, null, null, null, null);

        // A replica commits revision 1 and stalls (paused, or its partitions taken) before it publishes.
        ConsolidationService.BatchOutcome stalled = consolidation.applyBatch(List.of(new ConsolidationService.Input(UUID.randomUUID().toString(), s)));
        // Meanwhile another sighting of the paper is consolidated and published as revision 2.
        PapersApiTest.sight(UUID.randomUUID().toString(), "crash", title, null, at.plusSeconds(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> stateOnTopic(fp).map(PaperConsolidated::revision).orElse(0L) == 2L);

        // The stalled replica resumes: its revision 1 is stale and is not sent after revision 2.
        List<PaperConsolidated> handedOver = new ArrayList<>();
        assertThat(consolidation.publishCommitted(stalled, (states, merges) -> handedOver.addAll(states))).isZero();
        assertThat(handedOver).isEmpty();
        assertThat(stateOnTopic(fp)).get().extracting(PaperConsolidated::revision).isEqualTo(2L);
    }

    static Optional<PaperConsolidated> stateOnTopic(String fingerprint) {
        List<PaperConsolidated> states = TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()).stream()
                .filter(r -> r.value() != null && r.value().contains(fingerprint))
                .map(r -> {
                    try {
                        return PaperEventsJson.mapper().readValue(r.value(), PaperConsolidated.class);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .filter(p -> p.titleFingerprint().equals(fingerprint))
                .toList();
        return states.isEmpty() ? Optional.empty() : Optional.of(states.get(states.size() - 1));
    }
}
