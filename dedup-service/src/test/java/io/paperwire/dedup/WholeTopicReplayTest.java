package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestProducer;
import io.paperwire.testing.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Every sighting on the topic delivered a second time, in order: the catalogue does not change at all. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class WholeTopicReplayTest {

    static final String GROUP = "paperwire-dedup";

    @Inject
    EntityManager em;

    List<Object> snapshot() {
        return QuarkusTransaction.requiringNew().call(() -> List.of(
                em.createNativeQuery("select count(*) from paper").getSingleResult(),
                em.createNativeQuery("select coalesce(sum(sightings), 0) from paper").getSingleResult(),
                em.createNativeQuery("select count(*) from sighting").getSingleResult(),
                em.createNativeQuery("select coalesce(sum((c->>'sightings')::int), 0) + coalesce(sum((c->>'upvotes')::int), 0)"
                        + " from paper, jsonb_array_elements(source_counts) c").getSingleResult(),
                em.createNativeQuery("select coalesce(string_agg(id::text || ':' || coalesce(arxiv_id, '') || ':' || coalesce(doi, '') || ':'"
                        + " || sightings, ',' order by id), '') from paper").getSingleResult()));
    }

    @Test
    void replayingTheWholeTopicChangesNothing() throws Exception {
        // Make sure there is something to replay, whatever ran before in this JVM.
        String title = "Replay Seed " + UUID.randomUUID();
        PapersApiTest.sight("replay", title, 3, Instant.now());
        String topic = PaperTopic.SIGHTINGS.topicName();
        await().atMost(Duration.ofSeconds(60)).until(() -> TopicReader.lag(GROUP, topic) == 0);
        List<Object> before = snapshot();

        List<ConsumerRecord<String, String>> all = TopicReader.readToEnd(topic);
        assertThat(all).isNotEmpty();
        TestProducer.resend(all);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> TopicReader.lag(GROUP, topic) == 0);
        assertThat(snapshot()).isEqualTo(before);
    }
}
