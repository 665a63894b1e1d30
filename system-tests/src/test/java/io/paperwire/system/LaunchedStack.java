package io.paperwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.stack.PartProcesses;
import io.paperwire.testing.Harness;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The whole system as a user starts it: {@code deploy/local/paperwire up} (its launcher, on free ports in a state
 * directory of its own) with Kafka, PostgreSQL, SMTP and the three services from their packaged jars, the two sample
 * listings loaded. Each test class that needs the real stack launches one and purges it at the end.
 */
final class LaunchedStack implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path home;
    final Path state;
    final Map<String, String> env;
    final String token;
    final String upOutput;

    private LaunchedStack(Path home, Path state, Map<String, String> env) throws Exception {
        this.home = home;
        this.state = state;
        this.env = env;
        this.upOutput = launcher("up");
        Properties secrets = new Properties();
        try (InputStream in = Files.newInputStream(state.resolve("secrets.properties"))) {
            secrets.load(in);
        }
        this.token = secrets.getProperty("api.token");
    }

    static LaunchedStack up() throws Exception {
        return up(Map.of());
    }

    /**
     * A stack with these settings besides its own ports and state. Without a {@code PAPERWIRE_RESOLVER_URL} the title
     * resolver is off: tests never reach the internet.
     */
    static LaunchedStack up(Map<String, String> settings) throws Exception {
        Path home = Path.of(System.getProperty("paperwire-system.home", "..")).toAbsolutePath().normalize();
        Path state = Files.createDirectories(Path.of("target", "system-tests", "stack-" + UUID.randomUUID())).toAbsolutePath();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PAPERWIRE_STATE_DIR", state.toString());
        env.putAll(Harness.stackPorts("POSTGRES", "SMTP", "MAIL_API", "INGEST", "DEDUP", "NOTIFY"));
        if (!settings.containsKey("PAPERWIRE_RESOLVER_URL")) {
            env.put("PAPERWIRE_RESOLVER_ENABLED", "false");
        }
        env.putAll(settings);
        return new LaunchedStack(home, state, env);
    }

    @Override
    public void close() throws Exception {
        launcher("down", "--purge");
    }

    /** A service's management interface (health, metrics): its HTTP port + 1000 on the local stack. */
    String managementUrl(String service, String path) {
        return "http://127.0.0.1:" + (Integer.parseInt(env.get("PAPERWIRE_" + service.toUpperCase() + "_PORT")) + 1000) + path;
    }

    String url(String service, String path) {
        return "http://127.0.0.1:" + env.get("PAPERWIRE_" + service.toUpperCase() + "_PORT") + path;
    }

    /** The first mail to this address whose subject starts so, once it has arrived at the stack's SMTP server. */
    JsonNode awaitMail(String to, String subjectPrefix) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            found.clear();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("PAPERWIRE_MAIL_API_PORT")
                    + "/messages?to=" + to)).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode m : JSON.readTree(r.body())) {
                if (m.path("subject").asText().startsWith(subjectPrefix)) {
                    found.add(m);
                }
            }
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** The last lines of each part's log, for a failure's message. */
    String partLogs() {
        StringBuilder sb = new StringBuilder();
        for (String part : List.of("kafka", "ingest", "dedup", "notify")) {
            Path file = state.resolve("logs").resolve(part + ".log");
            if (Files.exists(file)) {
                sb.append("\n--- last lines of ").append(file).append(" ---\n").append(PartProcesses.tail(file, 30));
            }
        }
        return sb.toString();
    }

    /** Runs {@code paperwire ARGS} against this stack; fails with its output and the parts' logs when it fails. */
    String launcher(String... args) throws Exception {
        Path local = home.resolve("deploy/local");
        String cp = local.resolve("target/classes") + ":" + Files.readString(local.resolve("target/launcher.classpath")).strip();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpaperwire.home=" + home, "-cp", cp, "io.paperwire.local.Launcher"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(Path.of("target"), "launcher", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Harness.isolate(pb.environment(), env);
        Process p = pb.start();
        if (!p.waitFor(args[0].equals("bench") ? 600 : 300, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("paperwire " + String.join(" ", args) + " did not finish:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(() -> "paperwire " + String.join(" ", args) + ":\n" + out + partLogs()).isZero();
        return out;
    }
}
