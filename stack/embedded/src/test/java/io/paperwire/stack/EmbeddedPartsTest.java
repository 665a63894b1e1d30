package io.paperwire.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.events.topic.PaperTopic;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each real part starts, does its job, refuses a taken port with a clear message, and stops leaving nothing. */
class EmbeddedPartsTest {

    @TempDir
    Path dir;

    @Test
    void kafkaBrokerCarriesRecordsOnCatalogueTopicsAndStopsCleanly() throws Exception {
        int port;
        int controller;
        try (Ports.Reservation ports = Ports.reserve()) {
            port = ports.one();
            controller = ports.one();
        }
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), port, controller, dir.resolve("kafka.log"),
                true, Duration.ofSeconds(90));
        try {
            List<String> created = TopicCatalogue.ensure(broker.bootstrapServers(), (short) 1);
            assertThat(created).containsExactlyInAnyOrder(PaperTopic.SIGHTINGS.topicName(),
                    PaperTopic.CONSOLIDATED.topicName(), PaperTopic.SIGHTINGS_DLQ.topicName());
            assertThat(TopicCatalogue.ensure(broker.bootstrapServers(), (short) 1)).as("second run creates nothing").isEmpty();

            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin a = Admin.create(admin)) {
                ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, PaperTopic.CONSOLIDATED.topicName());
                Config cfg = a.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res);
                assertThat(cfg.get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(a.describeTopics(List.of(PaperTopic.SIGHTINGS.topicName())).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(PaperTopic.SIGHTINGS.topicName()).partitions())
                        .hasSize(PaperTopic.SIGHTINGS.partitions());
            }

            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(PaperTopic.SIGHTINGS.topicName(), "k", "hello")).get(30, TimeUnit.SECONDS);
            }
            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "t",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(PaperTopic.SIGHTINGS.topicName()));
                ConsumerRecord<String, String> got = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (got == null && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        got = r;
                    }
                }
                assertThat(got).isNotNull();
                assertThat(got.key()).isEqualTo("k");
                assertThat(got.value()).isEqualTo("hello");
            }

            assertThatThrownBy(() -> KafkaBroker.start(dir.resolve("kafka2"), port, Ports.free(), dir.resolve("k2.log"),
                    true, Duration.ofSeconds(30)))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("port " + port + " is already in use")
                    .hasMessageContaining("PAPERWIRE_KAFKA_PORT");
        } finally {
            broker.close();
        }
        assertThat(ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Ports.listening(port)).isFalse();
    }

    @Test
    void aBrokerBoundToAProcessExitsWhenThatProcessDies() throws Exception {
        // A stand-in for a test JVM that gets killed hard: the broker must not outlive it.
        Process owner = new ProcessBuilder("sleep", "600").start();
        int port;
        int controller;
        try (Ports.Reservation ports = Ports.reserve()) {
            port = ports.one();
            controller = ports.one();
        }
        KafkaBroker broker = KafkaBroker.start(dir.resolve("orphan"), port, controller, dir.resolve("orphan.log"),
                owner.pid(), Duration.ofSeconds(90));
        try {
            assertThat(ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive)).contains(true);
            owner.destroyForcibly().waitFor();
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> ProcessHandle.of(broker.pid()).map(h -> !h.isAlive()).orElse(true));
            assertThat(Ports.listening(port)).isFalse();
        } finally {
            broker.close();
        }
    }

    @Test
    void clusterIdsNeverLookLikeCommandLineOptions() {
        for (int i = 0; i < 2000; i++) {
            assertThat(KafkaBroker.newClusterId()).doesNotStartWith("-").hasSize(22);
        }
    }

    @Test
    void postgresServesAServiceRoleByPasswordOnlyAndKeepsDataAcrossRestarts() throws Exception {
        int port = Ports.free();
        Path data = dir.resolve("pg");
        try (Postgres pg = Postgres.start(data, port)) {
            pg.ensureDatabase("paperwire_test", "svc", "s3cret'pw");
            pg.ensureDatabase("paperwire_test", "svc", "s3cret'pw");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("paperwire_test"), "svc", "s3cret'pw")) {
                c.createStatement().execute("create table t(x int); insert into t values (42)");
            }
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl("paperwire_test"), "svc", "wrong"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        }
        assertThat(Ports.listening(port)).isFalse();
        try (Postgres pg = Postgres.start(data, port);
                Connection c = DriverManager.getConnection(pg.jdbcUrl("paperwire_test"), "svc", "s3cret'pw");
                ResultSet rs = c.createStatement().executeQuery("select x from t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        assertThat(Files.exists(data.resolve("PG_VERSION"))).isTrue();
    }

    @Test
    void mailServerReceivesOverSmtpAndShowsTheMessageOverHttp() throws Exception {
        int smtp;
        int api;
        try (Ports.Reservation ports = Ports.reserve()) {
            smtp = ports.one();
            api = ports.one();
        }
        try (MailServer mail = MailServer.start(smtp, api)) {
            Properties p = new Properties();
            p.put("mail.smtp.host", "127.0.0.1");
            p.put("mail.smtp.port", String.valueOf(mail.smtpPort()));
            MimeMessage m = new MimeMessage(Session.getInstance(p));
            m.setFrom(new InternetAddress("digest@paperwire.local"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress("ada@example.org"));
            m.setSubject("Confirm your subscription");
            m.setHeader("List-Unsubscribe", "<https://example.org/u>");
            m.setText("hello <b>", "UTF-8");
            Transport.send(m);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String body = http.send(HttpRequest.newBuilder(URI.create(mail.apiUrl() + "/messages?to=ada%40example.org")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode msgs = new ObjectMapper().readTree(body);
            assertThat(msgs).hasSize(1);
            assertThat(msgs.get(0).get("subject").asText()).isEqualTo("Confirm your subscription");
            assertThat(msgs.get(0).get("to").asText()).isEqualTo("ada@example.org");
            assertThat(msgs.get(0).at("/headers/List-Unsubscribe").asText()).isEqualTo("<https://example.org/u>");
            assertThat(msgs.get(0).get("text").asText()).isEqualTo("hello <b>");

            String other = http.send(HttpRequest.newBuilder(URI.create(mail.apiUrl() + "/messages?to=bob%40example.org")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(new ObjectMapper().readTree(other)).isEmpty();
        }
    }
}
