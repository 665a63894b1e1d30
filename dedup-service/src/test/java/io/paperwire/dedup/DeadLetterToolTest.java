package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.paperwire.dedup.messaging.DeadLetterPublisher;
import io.paperwire.dedup.tools.DeadLetterTool;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestProducer;
import io.paperwire.testing.TestStack;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The runbook's dead-letter steps against a real broker and a running dedup: a record dead-lettered earlier is listed
 * with its reason, replayed to its topic and consolidated; a second replay does not send it again.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class DeadLetterToolTest {

    /** A dead-letter topic and replay group of this test's own: other tests' dead letters are not replayed here. */
    private static final String DLQ = "test.dead-letters." + UUID.randomUUID();
    private static final String GROUP = "paperwire-dead-letter-test-" + UUID.randomUUID();

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = DeadLetterTool.run(args, Map.of("KAFKA_BOOTSTRAP_SERVERS", TestStack.kafkaBootstrapServers(),
                "PAPERWIRE_DLQ_TOPIC", DLQ, "PAPERWIRE_DLQ_REPLAY_GROUP", GROUP), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDeadLetterIsListedReplayedAndConsolidatedOnce() throws Exception {
        String title = "A Sighting Dead-Lettered Before The Fix " + UUID.randomUUID();
        PaperSighted s = HostileSightingsTest.sighting(title, Instant.now(), null, null, null);
        String id = UUID.randomUUID().toString();
        String key = TitleFingerprint.of(title);
        Map<String, String> headers = new HashMap<>(CloudEvents.headers(id, CloudEvents.TYPE_PAPER_SIGHTED, "/test", Instant.now(), key,
                CloudEvents.SCHEMA_PAPER_SIGHTED));
        headers.put(CloudEvents.HEADER_DLQ_REASON, "PostgreSQL refused the data (SQLSTATE 22001), simulated for this test");
        headers.put(DeadLetterPublisher.HEADER_TOPIC, PaperTopic.SIGHTINGS.topicName());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(DLQ, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        TestProducer.send(DLQ, key, PaperEventsJson.mapper().writeValueAsString(s), headers);
        // A dead letter whose topic header names another topic is not followed.
        Map<String, String> elsewhere = new HashMap<>(headers);
        elsewhere.put(CloudEvents.HEADER_ID, UUID.randomUUID().toString());
        elsewhere.put(DeadLetterPublisher.HEADER_TOPIC, PaperTopic.CONSOLIDATED.topicName());
        TestProducer.send(DLQ, key, "{}", elsewhere);

        assertThat(run("list")).contains("ce_id=" + id).contains("reason=PostgreSQL refused the data (SQLSTATE 22001)")
                .containsPattern("\\d+ dead letters");

        assertThat(run("replay")).contains("1 dead letters replayed, 1 skipped").contains("its topic header names paper.consolidated.v1");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> HostileSightingsTest.state(key).isPresent());

        assertThat(run("replay")).as("nothing new since").contains("0 dead letters replayed");
        long copies = TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()).stream()
                .filter(r -> id.equals(TopicReader.header(r, CloudEvents.HEADER_ID))).count();
        assertThat(copies).as("replayed once, not again by the second run").isEqualTo(1);
        var replayed = TopicReader.readToEnd(PaperTopic.SIGHTINGS.topicName()).stream()
                .filter(r -> id.equals(TopicReader.header(r, CloudEvents.HEADER_ID))).findFirst().orElseThrow();
        assertThat(TopicReader.header(replayed, DeadLetterTool.HEADER_REPLAYED_FROM)).startsWith(DLQ + "@");
        assertThat(replayed.headers().lastHeader(CloudEvents.HEADER_DLQ_REASON)).as("dead-letter headers dropped").isNull();
        assertThat(TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()).stream().map(ConsumerRecord::value))
                .as("the skipped record went nowhere").doesNotContain("{}");
        assertThat(replayed.key()).isEqualTo(key);
    }

    @Test
    void aMistakeIsNamed() {
        assertThatThrownBy(() -> DeadLetterTool.run(new String[] {"replay", "--max", "0"}, Map.of("KAFKA_BOOTSTRAP_SERVERS", "x:1"), System.out))
                .hasMessageContaining("--max must be at least 1");
        assertThatThrownBy(() -> DeadLetterTool.run(new String[] {"list"}, Map.of(), System.out))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is not set");
        assertThatThrownBy(() -> DeadLetterTool.run(new String[] {"purge"}, Map.of("KAFKA_BOOTSTRAP_SERVERS", "x:1"), System.out))
                .hasMessageContaining("unknown command purge");
        assertThatThrownBy(() -> DeadLetterTool.run(new String[] {"replay"}, Map.of("KAFKA_BOOTSTRAP_SERVERS", "x:1",
                "PAPERWIRE_DLQ_REPLAY_GROUP", "someone-elses-group"), System.out)).hasMessageContaining("must start with paperwire-dead-letter-");
    }
}
