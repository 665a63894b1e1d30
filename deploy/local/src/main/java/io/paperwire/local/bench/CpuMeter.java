package io.paperwire.local.bench;

import io.paperwire.local.LocalConfig;
import io.paperwire.local.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU seconds each part of the local stack used between two readings, from {@code /proc}: on a machine of two cores
 * every scenario competes for the same CPUs, so "where did the CPU go" is the first answer to "what limits this
 * number". A part's time is its whole process tree (PostgreSQL's backends are children of its postmaster), with the
 * time of children that already exited.
 */
final class CpuMeter {

    static final List<String> PARTS = List.of("kafka", "postgres", "smtp", "ingest", "dedup", "notify");
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on every Linux that Paperwire runs on

    private final Processes processes;
    private final Map<String, Double> start;
    private final Map<String, Map<String, Double>> startThreads;
    private final double startSelf;

    private final Path postmasterPid;

    private CpuMeter(Processes processes, Path postmasterPid) {
        this.processes = processes;
        this.postmasterPid = postmasterPid;
        this.start = read();
        this.startThreads = threads();
        this.startSelf = self();
    }

    static CpuMeter start(LocalConfig config) {
        return new CpuMeter(new Processes(config.pids()), config.state().resolve("data").resolve("postgres").resolve("postmaster.pid"));
    }

    /** CPU seconds per part since {@link #start}, plus {@code bench} for this process (load generator and baselines). */
    Map<String, Double> stop() {
        Map<String, Double> now = read();
        Map<String, Double> used = new LinkedHashMap<>();
        now.forEach((part, s) -> used.put(part, Math.round((s - start.getOrDefault(part, 0.0)) * 100) / 100.0));
        used.put("bench", Math.round((self() - startSelf) * 100) / 100.0);
        return used;
    }

    /**
     * CPU seconds per thread group of each service's JVM since {@link #start} (e.g. {@code C2 CompilerThread},
     * {@code VM Thread} for the serial collector, {@code executor-thread}), the groups above 0.1 s, most first.
     */
    Map<String, Map<String, Double>> threadsSinceStart() {
        Map<String, Map<String, Double>> used = new LinkedHashMap<>();
        threads().forEach((svc, groups) -> {
            Map<String, Double> before = startThreads.getOrDefault(svc, Map.of());
            Map<String, Double> delta = new LinkedHashMap<>();
            groups.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), Math.round((e.getValue() - before.getOrDefault(e.getKey(), 0.0)) * 100) / 100.0))
                    .filter(e -> e.getValue() >= 0.1)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> delta.put(e.getKey(), e.getValue()));
            used.put(svc, delta);
        });
        return used;
    }

    private Map<String, Map<String, Double>> threads() {
        Map<String, Map<String, Double>> all = new LinkedHashMap<>();
        for (String svc : List.of("ingest", "dedup", "notify")) {
            processes.running(svc).ifPresent(h -> {
                Map<String, Double> groups = new LinkedHashMap<>();
                try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(h.pid()), "task"))) {
                    tasks.forEach(task -> {
                        try {
                            // Thread names without their numbers: executor-thread-7 and executor-thread-9 are one group.
                            String name = Files.readString(task.resolve("comm")).strip().replaceAll("[-#]?\\d+$", "");
                            groups.merge(name, ticks(task.resolve("stat"), false) / TICKS_PER_SECOND, Double::sum);
                        } catch (IOException | RuntimeException e) {
                            // the thread ended meanwhile
                        }
                    });
                } catch (IOException e) {
                    // the process ended meanwhile
                }
                all.put(svc, groups);
            });
        }
        return all;
    }

    private Map<String, Double> read() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String part : PARTS) {
            processes.running(part).ifPresent(h -> seconds.put(part, treeSeconds(h)));
        }
        // pg_ctl daemonizes the postmaster, so it is not a descendant of the stack's postgres part: found by its pid file.
        postmaster().ifPresent(h -> seconds.merge("postgres", treeSeconds(h), Double::sum));
        return seconds;
    }

    private static double treeSeconds(ProcessHandle h) {
        return Stream.concat(Stream.of(h), h.descendants()).mapToDouble(p -> ticks(p.pid(), true)).sum() / TICKS_PER_SECOND;
    }

    private Optional<ProcessHandle> postmaster() {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(postmasterPid).get(0).strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static double self() {
        return ticks(ProcessHandle.current().pid(), true) / TICKS_PER_SECOND;
    }

    /** utime + stime (+ cutime + cstime) of one process; 0 once it is gone. */
    private static double ticks(long pid, boolean withChildren) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat"), withChildren);
    }

    /** From a {@code stat} file: a process's, or a thread's own ({@code /proc/<pid>/task/<tid>/stat}). */
    private static double ticks(Path statFile, boolean withChildren) {
        try {
            String stat = Files.readString(statFile);
            // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double t = Double.parseDouble(f[11]) + Double.parseDouble(f[12]);
            return withChildren ? t + Double.parseDouble(f[13]) + Double.parseDouble(f[14]) : t;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
