package io.paperwire.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.stack.Ports;
import io.paperwire.stack.Postgres;
import io.paperwire.testing.Harness;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher end to end, as a user runs it: up brings every real part to ready and loads the samples
 * (47 papers, 35 seen twice), a second up starts nothing twice, status/topics/mail report, down leaves no
 * process and no listening port. Everything runs on free ports in a temporary state directory.
 */
class LocalStackLifecycleTest {

    @TempDir
    Path state;

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PAPERWIRE_STATE_DIR", state.toString());
        env.putAll(Harness.stackPorts("POSTGRES", "SMTP", "MAIL_API", "INGEST", "DEDUP", "NOTIFY"));
        return env;
    }

    private static boolean committedLine(String topicsOutput, String group, String topic) {
        return topicsOutput.lines().anyMatch(l -> l.startsWith(group + " ") && l.contains(" " + topic + " ")
                && !l.contains("nothing committed"));
    }

    @Test
    void upStatusTopicsMailAndDownLeaveNothingBehind() throws Exception {
        Map<String, String> env = env();
        List<Long> pids = new ArrayList<>();
        try {
            CommandRunner.Result up = CommandRunner.launcher(env, "up");
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(up.output()).contains("Paperwire is up", "42 sightings accepted", "40 sightings accepted",
                    "created paper.sightings.v1, paper.consolidated.v1, paper.sightings.v1.dlq", "API token");
            pids.addAll(recordedPids());
            assertThat(pids).hasSize(6);

            String dedup = "http://127.0.0.1:" + env.get("PAPERWIRE_DEDUP_PORT") + "/api/v1/papers?limit=200";
            JsonNode papers = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> getJson(dedup), p -> p.path("total").asInt() == 47
                            && countTwice(p) == 35);
            assertThat(papers.path("items")).hasSize(47);
            // Health and metrics only on the management port (HTTP port + 1000); the API description on the public one.
            for (String svc : List.of("INGEST", "DEDUP", "NOTIFY")) {
                int port = Integer.parseInt(env.get("PAPERWIRE_" + svc + "_PORT"));
                assertThat(status("http://127.0.0.1:" + Part.managementPort(port) + "/q/health/ready")).as(svc + " management health").isEqualTo(200);
                assertThat(status("http://127.0.0.1:" + Part.managementPort(port) + "/q/metrics")).as(svc + " management metrics").isEqualTo(200);
                assertThat(status("http://127.0.0.1:" + port + "/q/health/ready")).as(svc + " public health").isEqualTo(404);
                assertThat(status("http://127.0.0.1:" + port + "/q/metrics")).as(svc + " public metrics").isEqualTo(404);
                assertThat(status("http://127.0.0.1:" + port + "/q/openapi")).as(svc + " public openapi").isEqualTo(200);
            }
            // The runbook's dead-letter steps on the stack: the samples are clean, so nothing is dead; a record that is not
            // an event is dead-lettered by dedup, listed with its reason, replayed, and (still not an event) comes back.
            CommandRunner.Result dlq = CommandRunner.launcher(env, "dlq", "list");
            assertThat(dlq.exitCode()).as(dlq.output()).isZero();
            assertThat(dlq.output()).contains("0 dead letters");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    "127.0.0.1:" + env.get("PAPERWIRE_KAFKA_PORT")), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("paper.sightings.v1", "poison-for-the-runbook", "this is not an event")).get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> CommandRunner.launcher(env, "dlq", "list").output().contains("1 dead letters"));
            assertThat(CommandRunner.launcher(env, "dlq", "list").output()).contains("key=poison-for-the-runbook", "topic=paper.sightings.v1")
                    .containsPattern("reason=\\S+");
            CommandRunner.Result replay = CommandRunner.launcher(env, "dlq", "replay");
            assertThat(replay.exitCode()).as(replay.output()).isZero();
            assertThat(replay.output()).contains("1 dead letters replayed");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> CommandRunner.launcher(env, "dlq", "list").output().contains("2 dead letters"));
            assertThat(CommandRunner.launcher(env, "dlq", "replay").output()).as("only what came back since").contains("1 dead letters replayed");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> CommandRunner.launcher(env, "dlq", "list").output().contains("3 dead letters"));
            CommandRunner.Result wrong = CommandRunner.launcher(env, "dlq", "purge");
            assertThat(wrong.exitCode()).isEqualTo(2);
            assertThat(wrong.output()).contains("unknown command purge", "usage: dlq list");
            // Loopback only: on every other address of this machine, no part of the stack answers.
            for (InetAddress other : otherAddresses()) {
                for (Map.Entry<String, String> e : env.entrySet()) {
                    if (e.getKey().endsWith("_PORT")) {
                        assertThat(connects(other, Integer.parseInt(e.getValue()))).as(e.getKey() + " on " + other).isFalse();
                    }
                    if (isService(e.getKey())) {
                        assertThat(connects(other, Part.managementPort(Integer.parseInt(e.getValue())))).as(e.getKey() + " + 1000 on " + other).isFalse();
                    }
                }
            }

            CommandRunner.Result again = CommandRunner.launcher(env, "up");
            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.output().lines().filter(l -> l.contains("already running"))).hasSize(6);
            assertThat(again.output()).contains("already loaded").doesNotContain("sightings accepted");
            assertThat(recordedPids()).containsExactlyInAnyOrderElementsOf(pids);

            CommandRunner.Result status = CommandRunner.launcher(env, "status");
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.output().lines().filter(l -> l.endsWith(" UP"))).hasSize(6);

            // Consumers commit their offsets every few seconds, so the groups' committed positions appear a little
            // after the papers do.
            CommandRunner.Result topics = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> CommandRunner.launcher(env, "topics"),
                            r -> r.exitCode() == 0 && committedLine(r.output(), "paperwire-dedup", "paper.sightings.v1")
                                    && committedLine(r.output(), "paperwire-notify", "paper.consolidated.v1"));
            assertThat(topics.output()).contains("paper.sightings.v1 ", "paper.consolidated.v1 ", "paper.sightings.v1.dlq");
            // 42 + 40 sample sightings, the poison record and its two replays.
            assertThat(topics.output().lines().filter(l -> l.startsWith("paper.sightings.v1 ")).findFirst().orElseThrow())
                    .contains(" 85 ");
            // It was dead-lettered three times, and nothing else was.
            assertThat(topics.output().lines().filter(l -> l.startsWith("paper.sightings.v1.dlq ")).findFirst().orElseThrow())
                    .contains(" 3 ");

            CommandRunner.Result mail = CommandRunner.launcher(env, "mail", "--json");
            assertThat(mail.exitCode()).as(mail.output()).isZero();
            assertThat(new ObjectMapper().readTree(mail.output()).isArray()).isTrue();

            CommandRunner.Result logs = CommandRunner.launcher(env, "logs", "dedup", "--lines", "5");
            assertThat(logs.exitCode()).as(logs.output()).isZero();
            assertThat(logs.output().lines().count()).isLessThanOrEqualTo(5).isPositive();
        } finally {
            CommandRunner.Result down = CommandRunner.launcher(env, "down", "--purge");
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(down.output().lines().filter(l -> l.contains("stopped"))).hasSize(6);
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().endsWith("_PORT")) {
                assertThat(Ports.listening(Integer.parseInt(e.getValue()))).as(e.getKey()).isFalse();
            }
            if (isService(e.getKey())) {
                assertThat(Ports.listening(Part.managementPort(Integer.parseInt(e.getValue())))).as(e.getKey() + " + 1000 (management)").isFalse();
            }
        }
        assertThat(state).doesNotExist();
    }

    /** This machine's addresses other than loopback (none on a machine without a network: then nothing to check). */
    static List<InetAddress> otherAddresses() throws Exception {
        List<InetAddress> all = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                nic.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(all::add);
            }
        }
        return all;
    }

    static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Parts die hard and {@code up} brings them back: a PostgreSQL holder killed with -9 leaves its server running as
     * an orphan, which {@code up} stops before starting its own; a server killed with -9 takes its holder with it;
     * a killed broker or service is started again. Afterwards the data is still there.
     */
    @Test
    void upBringsBackPartsThatDiedHardAndNoOrphanKeepsItsPort() throws Exception {
        Map<String, String> env = env();
        try {
            assertThat(CommandRunner.launcher(env, "up").exitCode()).isZero();
            String dedup = "http://127.0.0.1:" + env.get("PAPERWIRE_DEDUP_PORT") + "/api/v1/papers?limit=200";
            await().atMost(Duration.ofSeconds(90)).until(() -> papers(dedup) == 47);

            ProcessHandle holder = ProcessHandle.of(pidOf("postgres")).orElseThrow();
            ProcessHandle server = Postgres.postmaster(state.resolve("data/postgres")).orElseThrow();
            holder.destroyForcibly();
            holder.onExit().get();
            assertThat(server.isAlive()).as("the server outlives its holder killed with -9: an orphan on the port").isTrue();
            CommandRunner.Result up = CommandRunner.launcher(env, "up", "--no-samples");
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(up.output()).contains("stopped orphaned server (pid " + server.pid() + ")");
            assertThat(server.isAlive()).isFalse();

            ProcessHandle newHolder = ProcessHandle.of(pidOf("postgres")).orElseThrow();
            Postgres.postmaster(state.resolve("data/postgres")).orElseThrow().destroyForcibly();
            newHolder.onExit().get(60, TimeUnit.SECONDS); // the holder does not outlive its server
            ProcessHandle kafka = ProcessHandle.of(pidOf("kafka")).orElseThrow();
            ProcessHandle notify = ProcessHandle.of(pidOf("notify")).orElseThrow();
            kafka.destroyForcibly();
            notify.destroyForcibly();
            kafka.onExit().get();
            notify.onExit().get();

            up = CommandRunner.launcher(env, "up", "--no-samples");
            assertThat(up.exitCode()).as(up.output()).isZero();
            assertThat(up.output()).contains("postgres   starting", "kafka      starting", "notify     starting", "dedup      already running");
            CommandRunner.Result status = CommandRunner.launcher(env, "status");
            assertThat(status.exitCode()).as(status.output()).isZero();
            await().atMost(Duration.ofSeconds(90)).until(() -> papers(dedup) == 47);
        } finally {
            CommandRunner.launcher(env, "down", "--purge");
        }
    }

    private long pidOf(String part) throws Exception {
        return Long.parseLong(Files.readString(state.resolve("pids").resolve(part + ".pid")).strip());
    }

    private static int papers(String url) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? new ObjectMapper().readTree(r.body()).path("total").asInt() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void upRefusesATakenPortNamingItAndItsSetting() throws Exception {
        Map<String, String> env = env();
        int kafka = Integer.parseInt(env.get("PAPERWIRE_KAFKA_PORT"));
        try (ServerSocket squatter = new ServerSocket(kafka, 1, InetAddress.getLoopbackAddress())) {
            CommandRunner.Result up = CommandRunner.launcher(env, "up", "--no-samples");
            assertThat(up.exitCode()).isEqualTo(1);
            assertThat(up.output()).contains("port " + kafka + " is already in use", "PAPERWIRE_KAFKA_PORT");
        }
        assertThat(recordedPids()).isEmpty();
    }

    @Test
    void unknownCommandsAndBadPortsAreExplained() throws Exception {
        CommandRunner.Result unknown = CommandRunner.launcher(Map.of("PAPERWIRE_STATE_DIR", state.toString()), "upp");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown command 'upp'", "usage:");
        CommandRunner.Result badPort = CommandRunner.launcher(
                Map.of("PAPERWIRE_STATE_DIR", state.toString(), "PAPERWIRE_INGEST_PORT", "80800"), "status");
        assertThat(badPort.exitCode()).isEqualTo(1);
        assertThat(badPort.output()).contains("PAPERWIRE_INGEST_PORT=80800 is not a port number");
    }

    private List<Long> recordedPids() throws Exception {
        Path dir = state.resolve("pids");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Long> out = new ArrayList<>();
            for (Path f : files.toList()) {
                out.add(Long.parseLong(Files.readString(f).strip()));
            }
            return out;
        }
    }

    private static int status(String url) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonNode getJson(String url) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body());
        } catch (Exception e) {
            return new ObjectMapper().createObjectNode();
        }
    }

    private static long countTwice(JsonNode page) {
        long n = 0;
        for (JsonNode item : page.path("items")) {
            if (item.path("sightings").asInt() == 2) {
                n++;
            }
        }
        return n;
    }

    /** A port p with p+1 free too (Kafka's controller listens on the next port). */

    /** A service's HTTP port setting: its management interface listens 1000 above it. */
    private static boolean isService(String setting) {
        return setting.matches("PAPERWIRE_(INGEST|DEDUP|NOTIFY)_PORT");
    }
}
