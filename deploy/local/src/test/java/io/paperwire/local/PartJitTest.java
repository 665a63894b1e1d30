package io.paperwire.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
}
