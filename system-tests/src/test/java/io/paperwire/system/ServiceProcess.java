package io.paperwire.system;

import io.paperwire.stack.Ports;
import io.paperwire.testing.Harness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Paperwire service run as deploy/local runs it: its packaged jar in its own JVM, configured by the same
 * environment variables, logging to a file that a failure quotes. Closing stops it gracefully; {@link #kill()} is the
 * crash a test inflicts.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    /** Health and metrics: the management interface's own port. */
    final int managementPort;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, int managementPort, Process process, Path log) {
        this.managementPort = managementPort;
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** The packaged jar of a service module, built by the reactor before this module's tests. */
    static Path jar(String module) {
        Path jar = Path.of(System.getProperty("paperwire-system.home", "..")).resolve(module)
                .resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (./mvnw -DskipTests package)");
        }
        return jar;
    }

    static ServiceProcess start(String name, String module, Map<String, String> env, List<String> systemProperties) throws IOException {
        int port = freePort();
        int managementPort = freePort();
        Path dir = Files.createDirectories(Path.of("target", "system-tests", name + "-" + port));
        Path log = dir.resolve("service.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir.toAbsolutePath()));
        cmd.addAll(systemProperties);
        cmd.addAll(List.of("-jar", jar(module).toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Harness.isolate(pb.environment(), env);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        pb.environment().put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        ServiceProcess service = new ServiceProcess(name, port, managementPort, pb.start(), log);
        Runtime.getRuntime().addShutdownHook(new Thread(service.process::destroyForcibly));
        return service;
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the log's tail if the process dies or takes too long. */
    ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new AssertionError(name + " not ready within " + timeout + ":\n" + tail());
    }

    /** The crash: SIGKILL, no shutdown hooks, no offsets committed on the way out. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Ports already given to a service of this JVM: a service binds its port seconds after it is started. */
    private static final Set<Integer> GIVEN = new HashSet<>();

    private static synchronized int freePort() {
        try (Ports.Reservation ports = Ports.reserve()) {
            int p = ports.one();
            while (GIVEN.contains(p)) {
                p = ports.one();
            }
            GIVEN.add(p);
            return p;
        }
    }
}
