package io.paperwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.testing.TestIds;
import io.paperwire.testing.TestStack;
import io.paperwire.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Two dedup-service replicas, each its own process from the packaged jar, in one consumer group: a title-only
 * sighting and an arXiv-id sighting of the same paper arrive on partitions owned by different replicas at the same
 * moment, and then one replica is killed (SIGKILL) in mid-stream. Every paper ends as one record holding both of
 * its sightings, in the database and as the latest state on {@code paper.consolidated.v1}.
 */
class DedupReplicasTest {

    /** Kafka clients print their whole configuration at INFO whenever one is created; held so the level sticks. */
    private static final Logger KAFKA_LOG = quiet("org.apache.kafka");
    private static final String GROUP = "paperwire-dedup";

    static Logger quiet(String category) {
        Logger logger = Logger.getLogger(category);
        logger.setLevel(Level.WARNING);
        return logger;
    }
    private static final Duration READY = Duration.ofSeconds(120);

    @Test
    void twoReplicaProcessesRacingOnEachPaperAndOneKilledEndWithOneRecordPerPaper() throws Exception {
        String bootstrap = TestStack.kafkaBootstrapServers();
        TestStack.Database db = TestStack.postgres();
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "PAPERWIRE_DB_URL", db.jdbcUrl(),
                "PAPERWIRE_DB_USER", db.user(),
                "PAPERWIRE_DB_PASSWORD", db.password(),
                "PAPERWIRE_API_TOKEN", "system-test-token-" + UUID.randomUUID(),
                // One consumer per replica, so that the group's two members are the two processes.
                "PAPERWIRE_DEDUP_CONSUMERS", "1");
        // A short session so that the survivor takes over the killed replica's partitions within seconds.
        List<String> props = List.of("-Dmp.messaging.incoming.sightings-in.session.timeout.ms=6000",
                "-Dmp.messaging.incoming.sightings-in.heartbeat.interval.ms=1000");
        String run = UUID.randomUUID().toString().substring(0, 8);

        try (ServiceProcess a = ServiceProcess.start("dedup-a", "dedup-service", env, props);
                ServiceProcess b = ServiceProcess.start("dedup-b", "dedup-service", env, props);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer())) {
            a.awaitReady(READY);
            b.awaitReady(READY);
            List<List<Integer>> owned = awaitTwoMembersWithPartitions(admin);
            int left = owned.get(0).get(0);
            int right = owned.get(1).get(0);

            // Round 1: every paper as a title-only sighting on one replica's partition and as an arXiv sighting with the
            // same title on the other's, sent together.
            List<String> titles = new ArrayList<>();
            sendPairs(producer, run + "a", 40, left, right, titles);
            awaitSightings(db, titles.size() * 2);

            // Round 2: more pairs, and one replica dies while they are consumed.
            sendPairs(producer, run + "b", 40, left, right, titles);
            b.kill();
            awaitSightings(db, titles.size() * 2);

            for (String title : titles) {
                String fp = TitleFingerprint.of(title);
                List<Object[]> papers = papersWithTitle(db, fp);
                assertThat(papers).as("papers titled %s", title).hasSize(1);
                assertThat(papers.get(0)[1]).as("sightings of %s", title).isEqualTo(2);
                assertThat(papers.get(0)[2]).as("arXiv id of %s", title).isNotNull();
            }

            // Downstream sees the same: per key the latest record; exactly one live paper per title, with both sightings.
            Map<String, PaperConsolidated> latest = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                latest.clear();
                for (ConsumerRecord<String, String> r : TopicReader.readToEnd(PaperTopic.CONSOLIDATED.topicName())) {
                    if (r.value() == null || r.headers().lastHeader(CloudEvents.HEADER_TYPE) == null
                            || !CloudEvents.TYPE_PAPER_CONSOLIDATED.equals(new String(r.headers().lastHeader(CloudEvents.HEADER_TYPE).value(),
                            StandardCharsets.UTF_8))) {
                        latest.remove(r.key());
                        continue;
                    }
                    PaperConsolidated p = PaperEventsJson.mapper().readValue(r.value(), PaperConsolidated.class);
                    latest.merge(r.key(), p, (x, y) -> y.revision() >= x.revision() ? y : x);
                }
                return titles.stream().allMatch(t -> latest.values().stream()
                        .filter(p -> p.titleFingerprint().equals(TitleFingerprint.of(t))).count() == 1);
            });
            for (String title : titles) {
                PaperConsolidated p = latest.values().stream().filter(s -> s.titleFingerprint().equals(TitleFingerprint.of(title)))
                        .findFirst().orElseThrow();
                assertThat(p.sightings()).as("published sightings of %s", title).isEqualTo(2);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> TopicReader.lag(GROUP, PaperTopic.SIGHTINGS.topicName()) == 0);
        }
    }

    private static void sendPairs(KafkaProducer<String, String> producer, String run, int pairs, int left, int right, List<String> titles)
            throws Exception {
        List<Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String title = "Replicas Race " + run + " " + i;
            titles.add(title);
            String arxiv = TestIds.arxivId();
            acks.add(producer.send(record(sighting(null, title), left)));
            acks.add(producer.send(record(sighting(arxiv, title), right)));
        }
        for (Future<?> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }
    }

    private static PaperSighted sighting(String arxivId, String title) {
        return new PaperSighted(arxivId == null ? "listing" : "arxiv", arxivId == null ? PaperSighted.SourceKind.LISTING_TEXT
                : PaperSighted.SourceKind.ARXIV_API, Instant.now(), null, 1, arxivId, null, TitleFingerprint.of(title),
                arxivId == null ? List.of() : List.of("arXiv:" + arxivId), title, null, null, null, null, null, null);
    }

    private static ProducerRecord<String, String> record(PaperSighted s, int partition) throws Exception {
        ProducerRecord<String, String> r = new ProducerRecord<>(PaperTopic.SIGHTINGS.topicName(), partition, s.titleFingerprint(),
                PaperEventsJson.mapper().writeValueAsString(s));
        CloudEvents.headers(UUID.randomUUID().toString(), CloudEvents.TYPE_PAPER_SIGHTED, "/system-test", s.observedAt(),
                s.titleFingerprint(), CloudEvents.SCHEMA_PAPER_SIGHTED).forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    /** The partitions of the two members once the group is stable with both holding some. */
    private static List<List<Integer>> awaitTwoMembersWithPartitions(Admin admin) {
        List<List<Integer>> owned = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
            owned.clear();
            for (MemberDescription m : g.members()) {
                Set<Integer> partitions = new TreeSet<>();
                for (TopicPartition tp : m.assignment().topicPartitions()) {
                    if (tp.topic().equals(PaperTopic.SIGHTINGS.topicName())) {
                        partitions.add(tp.partition());
                    }
                }
                if (!partitions.isEmpty()) {
                    owned.add(new ArrayList<>(partitions));
                }
            }
            return owned.size() == 2 && g.groupState() == GroupState.STABLE;
        });
        return owned;
    }

    private static void awaitSightings(TestStack.Database db, int expected) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                    ResultSet rs = c.createStatement().executeQuery("select count(*) from sighting")) {
                rs.next();
                return rs.getLong(1) >= expected;
            } catch (SQLException schemaNotYetThere) {
                return false;
            }
        });
    }

    private static List<Object[]> papersWithTitle(TestStack.Database db, String fingerprint) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                PreparedStatement ps = c.prepareStatement("""
                        select p.id, p.sightings, p.arxiv_id from paper p
                        where p.id in (select paper_id from paper_title where fingerprint = ?)""")) {
            ps.setString(1, fingerprint);
            List<Object[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Object[] {rs.getObject(1), rs.getInt(2), rs.getString(3)});
                }
            }
            return out;
        }
    }
}
