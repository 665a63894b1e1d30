package io.paperwire.local.bench;

import io.paperwire.local.LocalConfig;
import io.paperwire.local.Processes;
import io.paperwire.stack.Postgres;
import io.paperwire.stack.Ports;
import io.paperwire.stack.StackException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code debezium-jdbc-sink} baseline of the consolidate scenario: Kafka Connect standalone (Kafka's own worker)
 * with the Debezium JDBC sink connector as a plugin, upserting the same sightings into a table of the same database,
 * one task (dedup consumes with one thread too). The worker starts and its task is running before the clock starts;
 * the run ends when the sink's consumer group has committed every record (the worker commits every 250 ms).
 */
final class DebeziumBaseline {

    private static final String CONNECTOR = "bench-debezium-jdbc-sink";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final LocalConfig config;
    private final PrintStream out;

    DebeziumBaseline(LocalConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /**
     * Rows/s for {@code count} records that {@code produce} writes to the topic it is given (6 partitions, like
     * {@code paper.sightings.v1}) once the connector is ready.
     */
    double run(String run, int count, Consumer<String> produce) throws Exception {
        String topic = "bench.debezium." + run;
        String password = UUID.randomUUID().toString();
        Postgres.ensureDatabase(config.postgresPort(), "paperwire_bench", "bench", password);
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(config.postgresPort(), "paperwire_bench"), "bench", password);
                Statement st = c.createStatement()) {
            st.execute("drop table if exists bench_debezium");
            // The same bare table as the jdbc-upsert baseline, keyed by the title fingerprint.
            st.execute("create table bench_debezium (fingerprint text primary key, title text not null, abstract text, source text not null)");
        }
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Path dir = Files.createDirectories(config.state().resolve("bench").resolve("connect-" + run));
        Path plugins = pluginDirectory(dir);
        int restPort = Ports.free();
        Path worker = dir.resolve("worker.properties");
        Files.writeString(worker, String.join("\n",
                "bootstrap.servers=" + config.bootstrapServers(),
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=io.paperwire.stack.connect.SightingConverter",
                "offset.storage.file.filename=" + dir.resolve("offsets"),
                "offset.flush.interval.ms=250",
                "plugin.path=" + plugins,
                "listeners=http://127.0.0.1:" + restPort,
                "consumer.max.poll.records=500",
                "consumer.auto.offset.reset=earliest", ""));
        Path connector = dir.resolve("debezium-jdbc-sink.properties");
        Files.writeString(connector, String.join("\n",
                "name=" + CONNECTOR,
                "connector.class=io.debezium.connector.jdbc.JdbcSinkConnector",
                "tasks.max=1",
                "topics=" + topic,
                "connection.url=" + Postgres.jdbcUrl(config.postgresPort(), "paperwire_bench"),
                "connection.username=bench",
                "connection.password=" + password,
                "insert.mode=upsert",
                "primary.key.mode=record_value",
                "primary.key.fields=fingerprint",
                "schema.evolution=none",
                "collection.name.format=bench_debezium",
                "batch.size=500", ""));
        Path log = dir.resolve("connect.log");
        List<String> cmd = List.of(Processes.javaExecutable(), "-Xmx512m", "-cp", workerClasspath(),
                "-Dlog4j2.configurationFile=" + log4j(dir), "org.apache.kafka.connect.cli.ConnectStandalone", worker.toString(),
                connector.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitRunning(p, restPort, log);
            long t0 = System.nanoTime();
            produce.accept(topic);
            awaitCommitted(p, topic, count, log);
            return count / ((System.nanoTime() - t0) / 1e9);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            try (Admin admin = admin()) {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                admin.deleteConsumerGroups(List.of("connect-" + CONNECTOR)).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                out.println("  (could not delete the baseline's topic or group: " + e.getMessage() + ")");
            }
        }
    }

    private void awaitRunning(Process p, int restPort, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        URI status = URI.create("http://127.0.0.1:" + restPort + "/connectors/" + CONNECTOR + "/status");
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new StackException("Kafka Connect exited; see " + log);
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"")) {
                    return;
                }
                if (r.body().contains("FAILED")) {
                    throw new StackException("the Debezium JDBC sink failed to start: " + r.body() + "; see " + log);
                }
            } catch (IOException e) {
                // the worker's REST server is not up yet
            }
            TimeUnit.MILLISECONDS.sleep(250); // waiting for the worker to start, not synchronising a test
        }
        throw new StackException("Kafka Connect's Debezium JDBC sink was not running after 3 minutes; see " + log);
    }

    private void awaitCommitted(Process p, String topic, int count, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new StackException("Kafka Connect exited during the run; see " + log);
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + CONNECTOR)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                long done = committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (done >= count) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(100); // polling for the end of the run, not synchronising a test
            }
        }
        throw new StackException("the Debezium JDBC sink did not finish within 30 minutes; see " + log);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()));
    }

    /** plugin.path: one directory holding links to the connector's jars, as a Connect installation would have it. */
    private static Path pluginDirectory(Path dir) throws IOException {
        Path plugin = Files.createDirectories(dir.resolve("plugins").resolve("debezium-connector-jdbc"));
        for (String jar : resource("debezium-jdbc.classpath").split(File.pathSeparator)) {
            Path target = Path.of(jar);
            Path link = plugin.resolve(target.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, target);
            }
        }
        return plugin.getParent();
    }

    private static Path log4j(Path dir) throws IOException {
        Path file = dir.resolve("log4j2.properties");
        Files.writeString(file, String.join("\n", "rootLogger.level=WARN", "rootLogger.appenderRef.out.ref=out",
                "appender.out.type=Console", "appender.out.name=out", "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=%d %p %c{1} %m%n", "logger.connect.name=org.apache.kafka.connect.runtime.Worker",
                "logger.connect.level=INFO", ""));
        return file;
    }

    /** The worker's classpath: this module's jar (the converter) plus the jar list generated at build time. */
    private static String workerClasspath() throws IOException {
        URL url = DebeziumBaseline.class.getResource("/io/paperwire/stack/connect/worker.classpath");
        if (url == null) {
            throw new StackException("paperwire-kafka-connect is missing from the classpath: build it with ./mvnw install -pl stack/kafka-connect");
        }
        try {
            String s = url.toString();
            String own = s.startsWith("jar:") ? Path.of(new URI(s.substring(4, s.indexOf("!/")))).toString()
                    : Path.of(url.toURI()).getParent().getParent().getParent().getParent().getParent().toString();
            return own + File.pathSeparator + resource("worker.classpath");
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DebeziumBaseline.class.getResourceAsStream("/io/paperwire/stack/connect/" + name)) {
            if (in == null) {
                throw new StackException("paperwire-kafka-connect is missing " + name + ": build it with ./mvnw install -pl stack/kafka-connect");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }
}
