package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.dedup.messaging.SightingConsumer;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestProducer;
import io.paperwire.testing.TopicReader;
import io.quarkus.arc.Arc;
import jakarta.persistence.EntityManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failures of no known class (a bug meeting odd data, injected here as a real one: a trigger in the catalogue that
 * raises an error of no known SQLSTATE class for the marked sightings): a record that fails
 * alike three times while PostgreSQL and Kafka answer goes to the DLQ and the records around it are consolidated; but
 * when many records fail alike, the batch is treated as an outage (stalled, readiness down) rather than drained into
 * the DLQ. Once the cause is gone, the stalled records are consolidated and the dead-lettered ones are replayed from
 * the DLQ as an operator would (docs/operations.md): every record ends up consolidated, nothing is lost, and a later
 * replay of the whole topic (WholeTopicReplayTest) finds nothing left to change.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class UnknownFailuresTest {


    @AfterEach
    void healed() {
        heal();
    }

    /** Every batch holding a sighting whose title starts with {@code marker} fails, the same way every time. */
    static void failOn(String marker) {
        sql("create or replace function paperwire_test_fail() returns trigger language plpgsql as $$ begin "
                + "if new.title like '" + marker + "%' then raise exception 'synthetic bug meeting odd data'; end if; "
                + "return new; end $$");
        sql("drop trigger if exists paperwire_test_fail on sighting");
        sql("create trigger paperwire_test_fail before insert on sighting for each row execute function paperwire_test_fail()");
    }

    /** The cause is gone. */
    static void heal() {
        sql("drop trigger if exists paperwire_test_fail on sighting");
    }

    private static void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> Arc.container().instance(EntityManager.class).get().createNativeQuery(statement).executeUpdate());
    }

    static ProducerRecord<String, String> record(String key, String title, String eventId) throws Exception {
        PaperSighted s = new PaperSighted("unknown-failures", PaperSighted.SourceKind.LISTING_TEXT, Instant.now(), null, null, null,
                null, TitleFingerprint.of(title), null, title, null, null, null, null, null, null);
        ProducerRecord<String, String> r = new ProducerRecord<>(PaperTopic.SIGHTINGS.topicName(), key, PaperEventsJson.mapper().writeValueAsString(s));
        CloudEvents.headers(eventId, CloudEvents.TYPE_PAPER_SIGHTED, "/test", s.observedAt(), key, CloudEvents.SCHEMA_PAPER_SIGHTED)
                .forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    /** Event id to dead-letter reason, for the given ids. */
    static Map<String, String> deadLettered(Set<String> ids) {
        return TopicReader.readToEnd(PaperTopic.SIGHTINGS_DLQ.topicName()).stream()
                .filter(r -> r.headers().lastHeader(CloudEvents.HEADER_ID) != null)
                .filter(r -> ids.contains(new String(r.headers().lastHeader(CloudEvents.HEADER_ID).value(), StandardCharsets.UTF_8)))
                .collect(Collectors.toMap(r -> new String(r.headers().lastHeader(CloudEvents.HEADER_ID).value(), StandardCharsets.UTF_8),
                        r -> new String(r.headers().lastHeader(CloudEvents.HEADER_DLQ_REASON).value(), StandardCharsets.UTF_8), (a, b) -> a));
    }

    /** What an operator does once the cause is fixed: the dead letters back onto the sightings topic, as received. */
    static void replayFromDlq(Set<String> ids) {
        List<ProducerRecord<String, String>> again = new ArrayList<>();
        for (var r : TopicReader.readToEnd(PaperTopic.SIGHTINGS_DLQ.topicName())) {
            var id = r.headers().lastHeader(CloudEvents.HEADER_ID);
            if (id != null && ids.contains(new String(id.value(), StandardCharsets.UTF_8))) {
                ProducerRecord<String, String> p = new ProducerRecord<>(PaperTopic.SIGHTINGS.topicName(), r.key(), r.value());
                r.headers().forEach(h -> {
                    if (!h.key().startsWith("dead-letter")) {
                        p.headers().add(h);
                    }
                });
                again.add(p);
            }
        }
        TestProducer.sendTogether(again);
    }

    static Set<String> consolidatedTitles(String prefix) {
        return TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName()).stream()
                .filter(ConsolidationRoundTripTest::isState).map(ConsolidationRoundTripTest::parse).map(PaperConsolidated::title).filter(t -> t.startsWith(prefix))
                .collect(Collectors.toSet());
    }

    static JsonPath status() {
        return given().get("/api/v1/status").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aRecordThatFailsAlikeWhileAllIsWellGoesToTheDlqAndItsNeighboursAreConsolidated() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String marker = "Synthetic Bug " + run;
        failOn(marker);
        String key = "unknown-" + run;
        String bad = UUID.randomUUID().toString();
        TestProducer.sendTogether(List.of(record(key, "Neighbour Before " + run, UUID.randomUUID().toString()),
                record(key, marker, bad), record(key, "Neighbour After " + run, UUID.randomUUID().toString())));

        String reason = await().atMost(Duration.ofSeconds(60)).until(() -> deadLettered(Set.of(bad)).get(bad), r -> r != null);
        assertThat(reason).contains("failed 3 times alike while PostgreSQL and Kafka answered", "synthetic bug meeting odd data");
        await().atMost(Duration.ofSeconds(60)).until(() -> consolidatedTitles("Neighbour ").containsAll(
                Set.of("Neighbour Before " + run, "Neighbour After " + run)));
        assertThat(status().getBoolean("stalled")).isFalse();

        heal();
        replayFromDlq(Set.of(bad));
        await().atMost(Duration.ofSeconds(60)).until(() -> consolidatedTitles(marker).contains(marker));
    }

    @Test
    void manyRecordsFailingAlikeStallAsAnOutageAndNoneIsLostOnceTheCauseIsGone() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String marker = "Alike " + run;
        failOn(marker);
        String key = "alike-" + run;
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            records.add(record(key, marker + " " + i, id));
        }
        TestProducer.sendTogether(records);

        // The records travelled together, so they are one batch: it blames as many as the cap allows, then stops
        // blaming, stalls on the synthetic bug and holds the partition, and the count stays there.
        int cap = SightingConsumer.MAX_UNKNOWN_DEAD_LETTERS;
        await().atMost(Duration.ofSeconds(90)).until(() -> deadLettered(Set.copyOf(ids)).size() >= cap);
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath s = status();
            return deadLettered(Set.copyOf(ids)).size() == cap && s.getBoolean("stalled")
                    && s.getString("stalledReason").contains("synthetic bug");
        });
        given().get("/q/health/ready").then().statusCode(503);

        heal();
        await().atMost(Duration.ofSeconds(60)).until(() -> !status().getBoolean("stalled"));
        await().atMost(Duration.ofSeconds(60)).until(() -> consolidatedTitles(marker).size() == ids.size() - cap);
        replayFromDlq(Set.copyOf(ids));
        await().atMost(Duration.ofSeconds(60)).until(() -> consolidatedTitles(marker).size() == ids.size());
    }
}
