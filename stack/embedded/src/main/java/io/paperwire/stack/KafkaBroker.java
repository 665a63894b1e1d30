package io.paperwire.stack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, one node), run as its own JVM
 * from the jars of {@code paperwire-kafka-broker}. Used by the local stack and the test harness alike.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "/io/paperwire/stack/broker/broker.classpath";
    private static final String MAIN = "io.paperwire.stack.broker.BrokerMain";

    private final Process process;
    private final int port;
    private final Path logFile;

    private KafkaBroker(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts a broker and waits until it answers.
     *
     * @param dataDir log directory root (created; formatted on first start, reused afterwards)
     * @param port client port; the controller listens on {@code controllerPort}
     * @param logFile where the broker's stdout and stderr go
     * @param boundToThisJvm when true the broker exits as soon as this JVM does (tests); when false it
     *     outlives it, in a session of its own (the local stack)
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logFile, boolean boundToThisJvm,
            Duration timeout) {
        return start(dataDir, port, controllerPort, logFile, boundToThisJvm ? ProcessHandle.current().pid() : -1, timeout);
    }

    /**
     * A broker bound to this JVM with more options for its JVM: a Java agent, such as the Prometheus JMX exporter
     * that the monitoring checks run with the Kubernetes deployment's rules.
     */
    public static KafkaBroker startWith(Path dataDir, int port, int controllerPort, Path logFile, Duration timeout,
            List<String> jvmOptions) {
        return start(dataDir, port, controllerPort, logFile, ProcessHandle.current().pid(), timeout, jvmOptions);
    }

    /** As above, bound to the process {@code ownerPid} (none when negative): the broker exits when that process does. */
    static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logFile, long ownerPid, Duration timeout) {
        return start(dataDir, port, controllerPort, logFile, ownerPid, timeout, List.of());
    }

    private static KafkaBroker start(Path dataDir, int port, int controllerPort, Path logFile, long ownerPid, Duration timeout,
            List<String> jvmOptions) {
        boolean boundToThisJvm = ownerPid >= 0;
        Ports.requireFree(port, "Kafka", "PAPERWIRE_KAFKA_PORT");
        Ports.requireFree(controllerPort, "Kafka's controller", "PAPERWIRE_KAFKA_PORT (the controller uses the next port)");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Path config = dataDir.resolve("server.properties");
            Files.writeString(config, serverProperties(dataDir.resolve("kraft-logs"), port, controllerPort));
            Path clusterIdFile = dataDir.resolve("cluster.id");
            if (!Files.exists(clusterIdFile)) {
                Files.writeString(clusterIdFile, newClusterId());
            }
            List<String> cmd = new ArrayList<>();
            if (!boundToThisJvm && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                cmd.add("/usr/bin/setsid"); // a terminal's Ctrl-C on the launcher must not reach the broker
            }
            cmd.addAll(List.of(javaExecutable(), "-Xms256m", "-Xmx768m", "-XX:+UseG1GC",
                    "-Djava.awt.headless=true", "-Dpaperwire-part=kafka"));
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", classpath(), MAIN, config.toString(), Files.readString(clusterIdFile).strip()));
            if (boundToThisJvm) {
                cmd.add(Long.toString(ownerPid));
            }
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            KafkaBroker broker = new KafkaBroker(p, port, logFile);
            broker.awaitReady(timeout);
            return broker;
        } catch (IOException e) {
            throw new StackException("Kafka could not be started: " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Asks the broker to shut down cleanly, and kills it if it has not within 30 seconds. */
    @Override
    public void close() {
        PartProcesses.stop(process.toHandle(), Duration.ofSeconds(30));
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new StackException("Kafka exited during start-up (exit code " + process.exitValue()
                        + "). Last lines of " + logFile + ":\n" + PartProcesses.tail(logFile, 15));
            }
            if (Ports.listening(port)) {
                try (Admin admin = Admin.create(props)) {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    // the port opens before the broker has caught up with its metadata: retry
                }
            }
            pause(Duration.ofMillis(200));
        }
        close();
        throw new StackException("Kafka did not become ready within " + timeout.toSeconds() + " s. Last lines of "
                + logFile + ":\n" + PartProcesses.tail(logFile, 15));
    }

    static String serverProperties(Path logDirs, int port, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDirs.toAbsolutePath().toString());
        // One node: every internal topic has one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A broker restarted after kill -9 cannot register again until its controller has fenced the previous
        // incarnation, one broker session later (9 s by default); the node's broker and controller share a JVM, so
        // a short session costs nothing here (paperwire chaos: kill-kafka recovery).
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "1000");
        // Topics are created from the catalogue, never by a typo in a producer.
        p.put("auto.create.topics.enable", "false");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        StringBuilder sb = new StringBuilder("# written by Paperwire's stack; regenerated on every start\n");
        p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    /** The broker JVM's classpath: BrokerMain's own location plus the jar list generated at build time. */
    public static String classpath() {
        URL url = KafkaBroker.class.getResource(CLASSPATH_RESOURCE);
        if (url == null) {
            throw new StackException("paperwire-kafka-broker is missing from the classpath (" + CLASSPATH_RESOURCE
                    + " not found): build it with ./mvnw install -pl stack/kafka-broker");
        }
        try (InputStream in = url.openStream()) {
            String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return ownLocation(url) + File.pathSeparator + jars;
        } catch (IOException | URISyntaxException e) {
            throw new StackException("cannot read the Kafka broker classpath: " + e.getMessage(), e);
        }
    }

    private static String ownLocation(URL resource) throws URISyntaxException {
        String s = resource.toString();
        if (s.startsWith("jar:")) {
            return Path.of(new URI(s.substring(4, s.indexOf("!/")))).toString();
        }
        Path file = Path.of(resource.toURI());
        // .../classes/io/paperwire/stack/broker/broker.classpath -> .../classes
        return file.getParent().getParent().getParent().getParent().getParent().toString();
    }

    /**
     * A KRaft cluster id: 16 random bytes, base64url. Like Kafka's own Uuid.randomUuid(), never one starting
     * with '-', which command-line parsers take for an option.
     */
    static String newClusterId() {
        while (true) {
            UUID u = UUID.randomUUID();
            ByteBuffer b = ByteBuffer.allocate(16);
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting", e);
        }
    }
}
