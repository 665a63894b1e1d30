package io.paperwire.local;

import io.paperwire.testing.Harness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command as its own process, as a user would, and returns its exit code and output. */
final class CommandRunner {

    static final Path REPO = Path.of("..", "..").toAbsolutePath().normalize();

    record Result(int exitCode, String output) {
    }

    private CommandRunner() {
    }

    /** The launcher exactly as deploy/local/paperwire runs it, with extra environment. */
    static Result launcher(Map<String, String> env, String... args) throws Exception {
        String cp = "target/classes:" + Files.readString(Path.of("target/launcher.classpath")).strip();
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-Dpaperwire.home=" + REPO, "-cp", cp,
                Launcher.class.getName()));
        cmd.addAll(List.of(args));
        return run(cmd, env, 300);
    }

    static Result run(List<String> cmd, Map<String, String> env, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile(Path.of("target"), "paperwire-cmd", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            Harness.isolate(pb.environment(), env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(cmd.get(cmd.size() - 1) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
