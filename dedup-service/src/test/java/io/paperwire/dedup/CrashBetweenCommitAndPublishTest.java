package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
        PaperConsolidated committed = consolidation.apply(eventId, new PaperSighted("crash", PaperSighted.SourceKind.LISTING_TEXT,
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
    void aPublishThatFailsLeavesNothingStoredAndTheRedeliveryStoresAndPublishesIt() throws Exception {
        String word = IdentityRulesTest.word();
        String title = "Publish Fails " + word;
        String fp = TitleFingerprint.of(title);
        String eventId = UUID.randomUUID().toString();
        Instant at = Instant.now();
        PaperSighted s = new PaperSighted("crash", PaperSighted.SourceKind.LISTING_TEXT, at, null, 1, null, null, fp, null, title, null,
                null, null, null, null, null);

        // Kafka does not acknowledge the states: the batch's transaction must not commit.
        assertThatThrownBy(() -> consolidation.applyBatch(List.of(new ConsolidationService.Input(eventId, s)), outcome -> {
            throw new IllegalStateException("Kafka did not acknowledge consolidated events");
        })).hasMessageContaining("did not acknowledge");
        assertThat(PapersApiTest.search(word, "recent", 10, null).getInt("total")).isZero();

        // The redelivery (the offset was never committed) stores it once and publishes it.
        PapersApiTest.sight(eventId, "crash", title, null, at);
        PaperConsolidated published = await().atMost(Duration.ofSeconds(60)).until(() -> stateOnTopic(fp), Optional::isPresent).get();
        assertThat(published.sightings()).isEqualTo(1);
        assertThat(published.revision()).isEqualTo(1);
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
