package io.paperwire.local;

import io.paperwire.stack.StackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code paperwire dlq}: runs dedup-service's DeadLetterTool from dedup's packaged jars against the local broker, so
 * the runbook's command and the Kubernetes Job are one program (docs/operations.md, "Replaying the DLQ").
 */
final class DeadLetters {

    static final String TOOL = "io.paperwire.dedup.tools.DeadLetterTool";

    private DeadLetters() {
    }

    static int run(LocalConfig config, List<String> args) throws Exception {
        Path app = config.home().resolve("dedup-service/target/quarkus-app");
        if (!Files.isDirectory(app.resolve("lib/main"))) {
            throw new StackException("dedup-service is not built (" + app + " is missing): run ./mvnw -DskipTests package");
        }
        // lib/boot holds the log manager the Kafka clients log through: without it their errors (TLS, SASL) are silent.
        String sep = java.io.File.pathSeparator;
        List<String> cmd = new ArrayList<>(List.of(Processes.javaExecutable(), "-Xmx128m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp",
                app.resolve("lib/boot") + "/*" + sep + app.resolve("lib/main") + "/*" + sep + app.resolve("app") + "/*", TOOL));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers());
        return pb.start().waitFor();
    }
}
