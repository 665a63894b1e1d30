package io.paperwire.local;

import io.paperwire.stack.PartProcesses;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pid files and detached processes. A part is "ours" only if the pid in its file is alive and its command
 * line carries {@code -Dpaperwire-part=NAME}: a recycled pid never gets a signal from us.
 */
public final class Processes {

    static final String PART_PROPERTY = "-Dpaperwire-part=";

    private final Path pids;

    public Processes(Path pids) {
        this.pids = pids;
    }

    public Optional<ProcessHandle> running(String part) {
        Path file = pids.resolve(part + ".pid");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(file).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> isPart(h, part));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static boolean isPart(ProcessHandle h, String part) {
        return arguments(h).contains(PART_PROPERTY + part);
    }

    /** A process's arguments; from /proc first, because the JDK's view drops the arguments of long command lines. */
    static List<String> arguments(ProcessHandle h) {
        Path cmdline = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                return List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
            }
        } catch (IOException e) {
            // fall back to what the JDK knows
        }
        return h.info().arguments().map(List::of).orElse(List.of());
    }

    void record(String part, long pid) throws IOException {
        Files.createDirectories(pids);
        Files.writeString(pids.resolve(part + ".pid"), pid + "\n");
    }

    /** Every instance with a pid file: the parts, and extra replicas such as "dedup-2". */
    List<String> instances() throws IOException {
        if (!Files.isDirectory(pids)) {
            return List.of();
        }
        try (var files = Files.list(pids)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".pid"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    void forget(String part) throws IOException {
        Files.deleteIfExists(pids.resolve(part + ".pid"));
    }

    /** Starts {@code command} in a session of its own (Ctrl-C on the launcher must not reach it), output to {@code log}. */
    Process startDetached(String part, List<String> command, Map<String, String> env, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        record(part, p.pid());
        return p;
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns the pid it stopped, if any. */
    Optional<Long> stop(String part, Duration grace) throws IOException {
        Optional<ProcessHandle> h = running(part);
        h.ifPresent(handle -> PartProcesses.stop(handle, grace));
        forget(part);
        return h.map(ProcessHandle::pid);
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
