package io.paperwire.local;

import java.nio.file.Path;
import java.util.List;

/** The parts of the local stack, in start order; {@code down} stops them in reverse. */
enum Part {
    KAFKA("kafka", "Kafka (KRaft)"),
    POSTGRES("postgres", "PostgreSQL"),
    SMTP("smtp", "SMTP (GreenMail)"),
    INGEST("ingest", "ingest-service"),
    DEDUP("dedup", "dedup-service"),
    NOTIFY("notify", "notify-service");

    final String id;
    final String label;

    Part(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /**
     * A service's initial heap; every service's grows to 96 MB (see LocalStack: sized for the 300 MB resident budget).
     * Dedup starts larger: a heap allowed to shrink made it collect in full more often.
     */
    String initialHeap() {
        return this == DEDUP ? "-Xms64m" : "-Xms32m";
    }

    /**
     * A service's JIT options (docs/benchmarks.md, "JIT"): C1's code only, except that ingest lets C2 compile the
     * message digests, whose intrinsics only C2 has (its {@code src/main/jvm/compiler-directives.json}). C2 refuses
     * every other method, which then gets C1's full-speed code; the lower tier-4 thresholds make methods reach that
     * refusal soon, where otherwise thousands stayed in C1's profiling tier, slower than C1 alone.
     */
    List<String> jit(Path home) {
        if (this != INGEST) {
            return List.of("-XX:TieredStopAtLevel=1");
        }
        return List.of("-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + home.resolve(module()).resolve("src/main/jvm/compiler-directives.json"),
                "-XX:Tier4InvocationThreshold=250", "-XX:Tier4MinInvocationThreshold=200", "-XX:Tier4CompileThreshold=2500",
                "-XX:Tier4BackEdgeThreshold=8000");
    }

    boolean isService() {
        return this == INGEST || this == DEDUP || this == NOTIFY;
    }

    /**
     * The management interface (health, metrics) of a service instance listening on {@code httpPort}: 1000 above it,
     * so each instance's pair is predictable without more settings (9081-9083 by default).
     */
    static int managementPort(int httpPort) {
        return httpPort + 1000;
    }

    int port(LocalConfig c) {
        return switch (this) {
            case KAFKA -> c.kafkaPort();
            case POSTGRES -> c.postgresPort();
            case SMTP -> c.smtpPort();
            case INGEST -> c.ingestPort();
            case DEDUP -> c.dedupPort();
            case NOTIFY -> c.notifyPort();
        };
    }

    /** The Quarkus module directory of a service. */
    String module() {
        return id + "-service";
    }
}
