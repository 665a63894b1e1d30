package io.paperwire.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The services' JIT options are ones this JVM accepts: a compiler directives file it cannot parse, or cannot find,
 * stops the JVM before the service starts, and the local stack would only report the service as down.
 */
class PartJitTest {

    @Test
    void everyServicesJitOptionsStartAJvm() throws Exception {
        for (Part part : Part.values()) {
            if (!part.isService()) {
                continue;
            }
            List<String> cmd = new ArrayList<>(List.of(Processes.javaExecutable()));
            cmd.addAll(part.jit(CommandRunner.REPO));
            cmd.add("-version");
            Process jvm = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(jvm.exitValue()).as(part.id + ": " + cmd + "\n" + output).isZero();
            assertThat(output).as(part.id).doesNotContain("Parsing of compiler directives failed");
        }
    }

    /**
     * Kubernetes runs each service with the same JIT options as the local stack (where they were measured), and the
     * directives file the ingest config map names is where the image's Dockerfile copies it.
     */
    @Test
    void kubernetesRunsEachServiceWithTheLocalStacksJitOptions() throws IOException {
        for (Part part : Part.values()) {
            if (!part.isService()) {
                continue;
            }
            String configMap = Files.readString(CommandRunner.REPO.resolve("deploy/kubernetes/base/" + part.id + "/configmap.yaml"));
            String line = configMap.lines().map(String::strip).filter(l -> l.startsWith("JAVA_OPTS_APPEND:")).findFirst()
                    .orElseThrow(() -> new AssertionError(part.id + "'s config map sets no JAVA_OPTS_APPEND"));
            List<String> k8sOptions = Arrays.asList(line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')).split("\\s+"));
            for (String option : part.jit(CommandRunner.REPO)) {
                String directives = "-XX:CompilerDirectivesFile=";
                if (!option.startsWith(directives)) {
                    assertThat(k8sOptions).as(part.id).contains(option);
                    continue;
                }
                String inImage = k8sOptions.stream().filter(o -> o.startsWith(directives)).findFirst()
                        .orElseThrow(() -> new AssertionError(part.id + "'s config map names no compiler directives"))
                        .substring(directives.length());
                Path module = CommandRunner.REPO.resolve(part.module());
                String source = module.relativize(Path.of(option.substring(directives.length()))).toString();
                assertThat(Files.readString(module.resolve("src/main/docker/Dockerfile.jvm"))).as(part.id)
                        .contains("COPY --chown=185 " + source + " " + inImage);
            }
        }
    }
}
