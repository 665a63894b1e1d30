package io.paperwire.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.stack.Ports;
import io.paperwire.testing.Harness;
import io.paperwire.testing.TestStack;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A service started with bad configuration stops at once with a message that names the problem and the fix,
 * instead of running half-broken. Runs the packaged ingest-service against real Kafka and PostgreSQL.
 */
class ServiceStartupChecksTest {

    static final Path JAR = CommandRunner.REPO.resolve("ingest-service/target/quarkus-app/quarkus-run.jar");
    static final String TMPDIR = "-Djava.io.tmpdir=" + Path.of("target").toAbsolutePath();

    /** A configuration that starts: every test breaks exactly one thing of it. */
    static Map<String, String> goodEnv() {
        assertThat(JAR).as("ingest-service is packaged before this module in the reactor (./mvnw verify)").exists();
        TestStack.Database db = TestStack.postgres();
        Map<String, String> env = new HashMap<>();
        try (Ports.Reservation ports = Ports.reserve()) {
            env.put("QUARKUS_HTTP_PORT", String.valueOf(ports.one()));
            env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(ports.one()));
        }
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestStack.kafkaBootstrapServers());
        env.put("PAPERWIRE_DB_URL", db.jdbcUrl());
        env.put("PAPERWIRE_DB_USER", db.user());
        env.put("PAPERWIRE_DB_PASSWORD", db.password());
        env.put("PAPERWIRE_API_TOKEN", "a-long-enough-token-for-the-checks");
        env.put("PAPERWIRE_API_KAFKA_STARTUP_TIMEOUT", "3s");
        return env;
    }

    static CommandRunner.Result start(Map<String, String> env) throws Exception {
        return CommandRunner.run(List.of(CommandRunner.javaExecutable(), "-Xmx256m", TMPDIR, "-jar", JAR.toString()), env, 120);
    }

    @Test
    void missingTokenIsNamed() throws Exception {
        Map<String, String> env = goodEnv();
        env.remove("PAPERWIRE_API_TOKEN");
        CommandRunner.Result r = start(env);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("PAPERWIRE_API_TOKEN is not set");
    }

    @Test
    void shortTokenIsRefused() throws Exception {
        Map<String, String> env = goodEnv();
        env.put("PAPERWIRE_API_TOKEN", "secret");
        CommandRunner.Result r = start(env);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("PAPERWIRE_API_TOKEN is too short");
    }

    @Test
    void unreachableKafkaIsNamed() throws Exception {
        Map<String, String> env = goodEnv();
        int nobody = Ports.free();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + nobody);
        CommandRunner.Result r = start(env);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("Kafka is unreachable at 127.0.0.1:" + nobody, "KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void wrongDatabasePasswordIsNamed() throws Exception {
        Map<String, String> env = goodEnv();
        env.put("PAPERWIRE_DB_PASSWORD", "not-the-password");
        CommandRunner.Result r = start(env);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("password authentication failed for user \"" + env.get("PAPERWIRE_DB_USER") + "\"");
    }

    @Test
    void takenHttpPortIsNamed() throws Exception {
        Map<String, String> env = goodEnv();
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            env.put("QUARKUS_HTTP_PORT", String.valueOf(squatter.getLocalPort()));
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            CommandRunner.Result r = start(env);
            assertThat(r.exitCode()).as(r.output()).isNotZero();
            assertThat(r.output()).contains("Port " + squatter.getLocalPort() + " seems to be in use");
        }
    }

    @Test
    void theGoodConfigurationReallyStarts() throws Exception {
        // Proves the failures above come from the one thing each breaks: this one runs until we stop it.
        Map<String, String> env = goodEnv();
        ProcessBuilder pb = new ProcessBuilder(CommandRunner.javaExecutable(), "-Xmx256m", TMPDIR, "-jar", JAR.toString())
                .redirectErrorStream(true);
        Path log = Files.createTempFile(Path.of("target"), "ingest", ".log");
        pb.redirectOutput(log.toFile());
        Harness.isolate(pb.environment(), env);
        Process svc = pb.start();
        try {
            int port = Integer.parseInt(env.get("QUARKUS_HTTP_PORT"));
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .until(() -> !svc.isAlive() || Ports.listening(port));
            assertThat(svc.isAlive()).as(Files.readString(log)).isTrue();
        } finally {
            svc.destroy();
            svc.waitFor();
            Files.deleteIfExists(log);
        }
    }
}
