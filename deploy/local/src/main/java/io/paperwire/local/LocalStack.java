package io.paperwire.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.stack.KafkaBroker;
import io.paperwire.stack.PartProcesses;
import io.paperwire.stack.Ports;
import io.paperwire.stack.Postgres;
import io.paperwire.stack.StackException;
import io.paperwire.stack.StackFiles;
import io.paperwire.stack.TopicCatalogue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/** Brings the local stack up, down, and reports its status: the work behind {@code deploy/local/paperwire}. */
final class LocalStack {

    static final Duration PART_TIMEOUT = Duration.ofSeconds(120);
    static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(180);
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    static final String SAMPLE_SOURCE = "hf-daily-sample";

    private final LocalConfig config;
    private final Map<String, String> env;
    private final Processes processes;
    private PrintStream out;
    /** JVM options added to every service started from now on ({@code paperwire chaos} shortens time-outs with them). */
    private final Map<Part, List<String>> serviceOptions = new EnumMap<>(Part.class);

    LocalStack(LocalConfig config, Map<String, String> env, PrintStream out) {
        this.config = config;
        this.env = env;
        this.processes = new Processes(config.pids());
        this.out = out;
    }

    /** {@link #up} without sample loading, its lines going to {@code to} (a chaos run's log) instead. */
    synchronized void upQuietly(PrintStream to) throws IOException {
        PrintStream was = out;
        out = to;
        try {
            up(false);
        } finally {
            out = was;
        }
    }

    /** Adds JVM options (system properties, say) to a service's instances this stack starts from now on. */
    void addServiceOptions(Part svc, List<String> options) {
        serviceOptions.computeIfAbsent(svc, k -> new ArrayList<>()).addAll(options);
    }

    /** Stops a service's instance and starts it again with these extra JVM options (none: as {@link #up} starts it). */
    synchronized void restartService(Part svc, List<String> options) throws IOException {
        processes.stop(svc.id, STOP_GRACE);
        serviceOptions.put(svc, new ArrayList<>(options));
        upQuietly(new PrintStream(OutputStream.nullOutputStream()));
    }

    Processes processes() {
        return processes;
    }

    LocalConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- up

    void up(boolean loadSamples) throws IOException {
        Properties secrets = config.secrets(env);
        Files.createDirectories(config.logs());
        out.println("Starting Paperwire's local stack (state in " + config.state() + ")");
        startKafka();
        if (processes.running(Part.POSTGRES.id).isEmpty()) {
            stopOrphanPostgres(); // its holder died and left it running: 'up' owns the port again
        }
        startPart(Part.POSTGRES, List.of("postgres", config.data().resolve("postgres").toString(),
                String.valueOf(config.postgresPort())), "PAPERWIRE_POSTGRES_PORT");
        for (Part svc : List.of(Part.INGEST, Part.DEDUP, Part.NOTIFY)) {
            Postgres.ensureDatabase(config.postgresPort(), database(svc), svc.id, secrets.getProperty("db." + svc.id + ".password"));
        }
        startPart(Part.SMTP, List.of("smtp", String.valueOf(config.smtpPort()), String.valueOf(config.mailApiPort())),
                "PAPERWIRE_SMTP_PORT");
        List<String> created = TopicCatalogue.ensure(config.bootstrapServers(), (short) 1);
        step("topics", created.isEmpty() ? "all present" : "created " + String.join(", ", created));
        startServices(secrets);
        if (loadSamples) {
            loadSamples(secrets.getProperty("api.token"));
        }
        summary(secrets);
    }

    private void startKafka() throws IOException {
        Optional<ProcessHandle> running = processes.running(Part.KAFKA.id);
        if (running.isPresent()) {
            step(Part.KAFKA.id, "already running (pid " + running.get().pid() + ")");
            return;
        }
        Instant t0 = Instant.now();
        out.print(pad(Part.KAFKA.id) + "starting on :" + config.kafkaPort() + " ... ");
        out.flush();
        KafkaBroker broker = KafkaBroker.start(config.data().resolve("kafka"), config.kafkaPort(),
                config.kafkaControllerPort(), log(Part.KAFKA), false, PART_TIMEOUT);
        processes.record(Part.KAFKA.id, broker.pid());
        out.println("ready in " + seconds(t0) + " (pid " + broker.pid() + ")");
    }

    private void startPart(Part part, List<String> args, String portSetting) throws IOException {
        Optional<ProcessHandle> running = processes.running(part.id);
        if (running.isPresent()) {
            step(part.id, "already running (pid " + running.get().pid() + ")");
            return;
        }
        Ports.requireFree(part.port(config), part.label, portSetting);
        if (part == Part.SMTP) {
            Ports.requireFree(config.mailApiPort(), "the mail API", "PAPERWIRE_MAIL_API_PORT");
        }
        Instant t0 = Instant.now();
        out.print(pad(part.id) + "starting on :" + part.port(config) + " ... ");
        out.flush();
        List<String> cmd = new ArrayList<>(List.of(Processes.javaExecutable(), Processes.PART_PROPERTY + part.id,
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), PartMain.class.getName()));
        cmd.addAll(args);
        Process p = processes.startDetached(part.id, cmd, Map.of(), log(part));
        awaitHealthy(part, p.toHandle(), PART_TIMEOUT);
        out.println("ready in " + seconds(t0) + " (pid " + p.pid() + ")");
    }

    private void startServices(Properties secrets) throws IOException {
        Map<Part, ProcessHandle> starting = new LinkedHashMap<>();
        for (Part svc : List.of(Part.INGEST, Part.DEDUP, Part.NOTIFY)) {
            Optional<ProcessHandle> running = processes.running(svc.id);
            if (running.isPresent()) {
                step(svc.id, "already running (pid " + running.get().pid() + ")");
                // Still awaited below: after a broker or database restart it may be reconnecting, and 'up' ends
                // with every part ready.
                starting.put(svc, running.get());
                continue;
            }
            Process p = startService(svc, svc.id, svc.port(config), secrets);
            step(svc.id, "starting on :" + svc.port(config) + " (pid " + p.pid() + ")");
            starting.put(svc, p.toHandle());
        }
        Instant t0 = Instant.now();
        Instant nextNote = t0.plusSeconds(10);
        while (!starting.isEmpty()) {
            for (var it = starting.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isAlive()) {
                    throw new StackException(e.getKey().label + " exited during start-up. Last lines of " + log(e.getKey())
                            + ":\n" + PartProcesses.tail(log(e.getKey()), 25));
                }
                if ("UP".equals(Health.check(e.getKey(), config))) {
                    step(e.getKey().id, "ready in " + seconds(t0));
                    it.remove();
                }
            }
            if (Instant.now().isAfter(t0.plus(SERVICE_TIMEOUT))) {
                throw new StackException("not ready after " + SERVICE_TIMEOUT.toSeconds() + " s: " + starting.keySet()
                        + ". See deploy/local/paperwire logs NAME.");
            }
            if (!starting.isEmpty() && Instant.now().isAfter(nextNote)) {
                step("", "waiting for " + starting.keySet().stream().map(s -> s.id).toList() + " (" + seconds(t0) + ")");
                nextNote = nextNote.plusSeconds(10);
            }
            pause();
        }
    }

    /**
     * Starts one instance of a service: {@code instance} names its pid file and log ("dedup", or "dedup-2" for a
     * second replica), {@code port} its HTTP port. Every replica shares the service's database and consumer group.
     */
    Process startService(Part svc, String instance, int port, Properties secrets) throws IOException {
        Path jar = config.home().resolve(svc.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new StackException(svc.label + " is not built (" + jar + " is missing): run ./mvnw -DskipTests package");
        }
        Ports.requireFree(port, svc.label, "PAPERWIRE_" + svc.id.toUpperCase() + "_PORT");
        Map<String, String> svcEnv = new LinkedHashMap<>();
        if (Part.managementPort(port) > 65535) {
            throw new StackException(svc.label + " port " + port + " leaves no room for its management port (" + Part.managementPort(port)
                    + "): choose a port below 64536 with PAPERWIRE_" + svc.id.toUpperCase() + "_PORT");
        }
        Ports.requireFree(Part.managementPort(port), svc.label + " (management: health and metrics)",
                "PAPERWIRE_" + svc.id.toUpperCase() + "_PORT, whose value + 1000 it is");
        svcEnv.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        svcEnv.put("QUARKUS_HTTP_HOST", config.bindAddress());
        svcEnv.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(Part.managementPort(port)));
        // Health and metrics stay on loopback whatever the bind address: they are for this machine's tools.
        svcEnv.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        svcEnv.put("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers());
        svcEnv.put("PAPERWIRE_DB_URL", Postgres.jdbcUrl(config.postgresPort(), database(svc)));
        svcEnv.put("PAPERWIRE_DB_USER", svc.id);
        svcEnv.put("PAPERWIRE_DB_PASSWORD", secrets.getProperty("db." + svc.id + ".password"));
        svcEnv.put("PAPERWIRE_API_TOKEN", secrets.getProperty("api.token"));
        if (svc == Part.NOTIFY) {
            svcEnv.put("PAPERWIRE_LINK_SECRET", secrets.getProperty("link.secret"));
            svcEnv.put("PAPERWIRE_NOTIFY_BASE_URL", "http://localhost:" + svc.port(config));
            svcEnv.put("PAPERWIRE_CATALOGUE_URL", "http://127.0.0.1:" + config.dedupPort());
            // The local stack has no public address: let webhooks reach receivers on this machine, over http.
            svcEnv.put("PAPERWIRE_NOTIFY_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
            svcEnv.put("PAPERWIRE_NOTIFY_WEBHOOK_ALLOW_HTTP", "true");
        }
        if (svc == Part.INGEST) {
            // dedup's papers API: what it consolidated per source and day (the completeness report).
            svcEnv.put("PAPERWIRE_CATALOGUE_URL", "http://127.0.0.1:" + config.dedupPort());
            // Where titles are resolved to arXiv ids (arXiv itself unless told), and whether at all.
            for (String key : new String[] {"PAPERWIRE_RESOLVER_URL", "PAPERWIRE_RESOLVER_ENABLED"}) {
                String value = env.get(key);
                if (value != null && !value.isBlank()) {
                    svcEnv.put(key, value);
                }
            }
        }
        svcEnv.put("PAPERWIRE_SMTP_HOST", "127.0.0.1");
        svcEnv.put("PAPERWIRE_SMTP_PORT", String.valueOf(config.smtpPort()));
        // Tracing is off locally unless an OTLP endpoint is given (a collector, Jaeger, the tracing test's receiver).
        String otlp = env.get("PAPERWIRE_OTLP_ENDPOINT");
        if (otlp != null && !otlp.isBlank()) {
            svcEnv.put("QUARKUS_OTEL_SDK_DISABLED", "false");
            svcEnv.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", otlp.strip());
            String protocol = env.getOrDefault("PAPERWIRE_OTLP_PROTOCOL", "grpc");
            svcEnv.put("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", protocol.isBlank() ? "grpc" : protocol.strip());
            // Spans leave within a second, not the default five: a developer watching a trace need not wait.
            svcEnv.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "1s");
        }
        String extra = env.get("PAPERWIRE_" + svc.id.toUpperCase() + "_CONFIG");
        if (extra != null && !extra.isBlank()) {
            // e.g. PAPERWIRE_INGEST_CONFIG=deploy/local/sources.example.properties: pollers for ingest
            Path file = Path.of(extra).toAbsolutePath();
            if (!Files.isReadable(file)) {
                throw new StackException("PAPERWIRE_" + svc.id.toUpperCase() + "_CONFIG=" + extra + " is not a readable file");
            }
            svcEnv.put("QUARKUS_CONFIG_LOCATIONS", file.toString());
        }
        // Each service's temporary files (Vert.x caches and the like) stay in the stack's state directory.
        Path tmp = Files.createDirectories(config.state().resolve("tmp").resolve(instance));
        // Sized for the 300 MB-per-service budget (docs/benchmarks.md). After a full GC each service holds 20-32 MB
        // of live objects, yet the JVM's default initial heap (1/64 of this machine's memory, capped by -Xmx)
        // commits the whole heap at start, so each heap starts small and grows with what is live, up to 96 MB.
        // Dedup's two consumers' batches in flight are most of its live data; with batches of 250 sightings
        // (not 500) its collector spent less time at 96 MB than before at 112, and dedup starts at 64 MB, as a
        // heap allowed to shrink made it collect in full more often. Metaspace (~85 MB of classes) and the code
        // cache are capped; fewer glibc malloc arenas (each thread that allocates natively would otherwise get its
        // own).
        // C1 only (-XX:TieredStopAtLevel=1; Part#jit): on two shared cores the C2 compiler threads were up to a
        // third of a service's CPU during a run and their arenas part of its memory; in the same session C1 alone
        // gave higher rates in every scenario and 40-60 MB less resident memory per service (docs/benchmarks.md,
        // "JIT"). Ingest's exception: C2 compiles the message digests and nothing else.
        // jdk.nio.maxCachedBufferSize: a socket read or write of a heap buffer goes through a temporary direct
        // buffer as large as the data, which each thread keeps for reuse by default; dedup's Kafka fetches left
        // 8.7 MB of them (36 buffers). Capped at 256 KB, larger ones are freed after use: 1.5 MB left.
        svcEnv.put("MALLOC_ARENA_MAX", "2");
        // A fixed threshold: blocks of 128 KB and more (those temporary buffers among them) are mapped and unmapped
        // on free, where glibc's sliding threshold let them settle in the arenas (dedup 2-6 MB less, quick runs).
        svcEnv.put("MALLOC_MMAP_THRESHOLD_", "131072");
        List<String> cmd = new ArrayList<>(List.of(Processes.javaExecutable(), Processes.PART_PROPERTY + instance, svc.initialHeap(),
                "-Xmx96m", "-Xss512k", "-XX:MaxMetaspaceSize=160m", "-XX:ReservedCodeCacheSize=96m", "-XX:+UseSerialGC",
                "-Djdk.nio.maxCachedBufferSize=262144", "-Djava.io.tmpdir=" + tmp));
        cmd.addAll(svc.jit(config.home()));
        // e.g. PAPERWIRE_SERVICE_JAVA_OPTS="-XX:NativeMemoryTracking=summary" to look into a service's memory
        String javaOpts = env.get("PAPERWIRE_SERVICE_JAVA_OPTS");
        if (javaOpts != null && !javaOpts.isBlank()) {
            cmd.addAll(List.of(javaOpts.strip().split("\\s+")));
        }
        cmd.addAll(serviceOptions.getOrDefault(svc, List.of()));
        cmd.addAll(List.of("-jar", jar.toString()));
        return processes.startDetached(instance, cmd, svcEnv, config.logs().resolve(instance + ".log"));
    }

    private void loadSamples(String token) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(config.samples())) {
            files = s.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ObjectMapper json = new ObjectMapper();
        for (Path f : files) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.ingestPort()
                            + "/api/v1/listings?source=" + SAMPLE_SOURCE))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "text/plain; charset=utf-8")
                    // One key per sample file: a second 'up' publishes nothing new.
                    .header("Idempotency-Key", "sample-" + f.getFileName())
                    .POST(HttpRequest.BodyPublishers.ofFile(f))
                    .build();
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 404 || r.statusCode() == 405) {
                    step("samples", "ingest-service does not accept listings yet; skipped");
                    return;
                }
                if (r.statusCode() != 202) {
                    throw new StackException("posting sample " + f.getFileName() + " failed: HTTP " + r.statusCode() + " " + r.body());
                }
                JsonNode body = json.readTree(r.body());
                step("samples", f.getFileName() + ": " + (body.path("duplicate").asBoolean()
                        ? "already loaded" : body.path("accepted").asInt() + " sightings accepted"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while posting samples", e);
            }
        }
    }

    private void summary(Properties secrets) {
        out.println();
        out.println("Paperwire is up.");
        out.printf("  %-16s http://127.0.0.1:%d   POST /api/v1/listings, /q/openapi%n", "ingest-service", config.ingestPort());
        out.printf("  %-16s http://127.0.0.1:%d   GET /api/v1/papers%n", "dedup-service", config.dedupPort());
        out.printf("  %-16s http://127.0.0.1:%d   / (trending papers)%n", "notify-service", config.notifyPort());
        out.printf("  %-16s http://127.0.0.1:%d, %d, %d   /q/health, /q/metrics (each service's port + 1000)%n", "management",
                Part.managementPort(config.ingestPort()), Part.managementPort(config.dedupPort()), Part.managementPort(config.notifyPort()));
        out.printf("  %-16s %s%n", "Kafka", config.bootstrapServers());
        out.printf("  %-16s 127.0.0.1:%d   databases paperwire_ingest, paperwire_dedup, paperwire_notify%n", "PostgreSQL", config.postgresPort());
        out.printf("  %-16s 127.0.0.1:%d   (read it: deploy/local/paperwire mail)%n", "SMTP", config.smtpPort());
        out.printf("  %-16s %s  (%s)%n", "API token", secrets.getProperty("api.token"), secrets.getProperty("api.token.origin"));
        out.println("Try: deploy/local/paperwire status | topics | mail | logs [NAME] | down [--purge]");
    }

    // ---------------------------------------------------------------- down

    /** Stops every part this launcher started, by pid, services first; returns the ports still in use. */
    List<Integer> down(boolean purge) throws IOException {
        List<String> partIds = Arrays.stream(Part.values()).map(p -> p.id).toList();
        for (String replica : processes.instances()) {
            if (!partIds.contains(replica)) { // an extra replica (paperwire chaos starts them): before its service
                Optional<Long> pid = processes.stop(replica, STOP_GRACE);
                step(replica, pid.map(p -> "stopped (pid " + p + ")").orElse("not running"));
            }
        }
        List<Part> reverse = new ArrayList<>(List.of(Part.values()));
        Collections.reverse(reverse);
        for (Part part : reverse) {
            Optional<Long> pid = processes.stop(part.id, STOP_GRACE);
            step(part.id, pid.map(p -> "stopped (pid " + p + ")").orElse("not running"));
        }
        stopOrphanPostgres();
        List<Integer> busy = new ArrayList<>();
        for (Part part : Part.values()) {
            if (Ports.listening(part.port(config))) {
                busy.add(part.port(config));
            }
        }
        if (purge) {
            StackFiles.deleteTree(config.state());
            step("purge", "deleted " + config.state());
        }
        if (!busy.isEmpty()) {
            out.println("Ports still in use (not by processes this launcher started): " + busy);
        }
        return busy;
    }

    /**
     * PostgreSQL runs detached from its holder JVM; if that JVM was killed hard, the server is an orphan: stop it by its
     * own pid file (fast shutdown), so that a holder can start it again and own it.
     */
    private void stopOrphanPostgres() {
        Postgres.postmaster(config.data().resolve("postgres")).ifPresent(server -> {
            Postgres.stopServer(server, STOP_GRACE);
            step("postgres", "stopped orphaned server (pid " + server.pid() + ")");
        });
    }

    // ---------------------------------------------------------------- status

    /** Prints each part's pid, port and health; returns true when all are up. */
    boolean status() {
        out.printf("%-10s %-8s %-7s %s%n", "PART", "PID", "PORT", "HEALTH");
        boolean allUp = true;
        for (Part part : Part.values()) {
            String pid = processes.running(part.id).map(h -> String.valueOf(h.pid())).orElse("-");
            String health = "-".equals(pid) && !Ports.listening(part.port(config)) ? "DOWN: not running" : Health.check(part, config);
            allUp &= "UP".equals(health);
            out.printf("%-10s %-8s %-7d %s%n", part.id, pid, part.port(config), health);
        }
        return allUp;
    }

    // ---------------------------------------------------------------- helpers

    Path log(Part part) {
        return config.logs().resolve(part.id + ".log");
    }

    static String database(Part svc) {
        return "paperwire_" + svc.id;
    }

    private void awaitHealthy(Part part, ProcessHandle p, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new StackException(part.label + " exited during start-up. Last lines of " + log(part) + ":\n"
                        + PartProcesses.tail(log(part), 25));
            }
            last = Health.check(part, config);
            if ("UP".equals(last)) {
                return;
            }
            pause();
        }
        throw new StackException(part.label + " not ready after " + timeout.toSeconds() + " s (" + last + "). See " + log(part));
    }

    private void step(String part, String message) {
        out.println(pad(part) + message);
    }

    private static String pad(String part) {
        return String.format("  %-10s ", part);
    }

    private static String seconds(Instant t0) {
        return String.format("%.1f s", Duration.between(t0, Instant.now()).toMillis() / 1000.0);
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
