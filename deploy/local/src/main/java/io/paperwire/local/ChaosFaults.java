package io.paperwire.local;

import io.paperwire.events.topic.PaperTopic;
import io.paperwire.stack.Postgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The real faults of {@code paperwire chaos}, each injected into the running local stack and then undone the way an
 * operator (or Kubernetes) would: {@code kill -9} and restart of a service, of a second replica, or of the broker; an
 * immediate shutdown of PostgreSQL (as after a power cut) and its restart; a pause (SIGSTOP) longer than the
 * consumer session time-out; a network partition between dedup and the broker (iptables on a net_cls cgroup). After
 * each it measures how long until every part is ready and every consumer group's lag is zero.
 */
final class ChaosFaults {

    /** The faults by name, as {@code --faults} takes them. */
    enum Fault {
        KILL_INGEST("kill-ingest"), KILL_DEDUP("kill-dedup"), KILL_NOTIFY("kill-notify"), KILL_DEDUP_REPLICA("kill-dedup-2"),
        KILL_NOTIFY_REPLICA("kill-notify-2"), KILL_KAFKA("kill-kafka"), RESTART_POSTGRES("restart-postgres"),
        PAUSE_DEDUP("pause-dedup"), PAUSE_KAFKA("pause-kafka"), PARTITION_DEDUP("partition-dedup");

        final String id;

        Fault(String id) {
            this.id = id;
        }

        static Fault of(String id) {
            for (Fault f : values()) {
                if (f.id.equals(id)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown fault '" + id + "'; known: " + names());
        }

        static String names() {
            return String.join(",", Arrays.stream(values()).map(f -> f.id).toList());
        }
    }

    /**
     * What one injection did, when it was undone (the process restarted, resumed or reconnected; seconds after the
     * fault) and how long from the fault until the stack was whole again (null: not within the limit).
     */
    record Injected(String fault, Instant at, String detail, Double undoneSeconds, Double recoverySeconds) {
    }

    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(120);
    private static final long PARTITION_CLASSID = 0x00170017L;
    private static final Path NET_CLS = Path.of("/sys/fs/cgroup/net_cls");

    private final LocalStack stack;
    private final Chaos chaos;
    /** The workload, asked for bursts and webhook digests before kills; null for a run without one. */
    private final ChaosWorkload workload;
    private final Duration pause;
    private final PrintStream log;

    ChaosFaults(LocalStack stack, Chaos chaos, Duration pause, ChaosWorkload workload, PrintStream log) {
        this.stack = stack;
        this.workload = workload;
        this.chaos = chaos;
        this.pause = pause;
        this.log = log;
    }

    /** Why a fault cannot run on this machine, or null when it can. */
    static String unavailable(Fault f) {
        if (f != Fault.PARTITION_DEDUP) {
            return null;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "a partition needs root (iptables and a net_cls cgroup)";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/iptables")) && !Files.isExecutable(Path.of("/sbin/iptables"))) {
            return "a partition needs iptables (Debian: apt-get install iptables)";
        }
        try {
            if (!Files.exists(NET_CLS.resolve("cgroup.procs"))) {
                Files.createDirectories(NET_CLS);
                run("mount", "-t", "cgroup", "-o", "net_cls", "net_cls", NET_CLS.toString());
            }
            return null;
        } catch (IOException e) {
            return "a partition needs a net_cls cgroup, which cannot be mounted here: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Injects {@code f}, undoes it, and measures the recovery. */
    Injected inject(Fault f) throws Exception {
        Instant at = Instant.now();
        String detail = switch (f) {
            case KILL_INGEST -> killAndRestart(Part.INGEST.id);
            case KILL_DEDUP -> killMidBatch(Part.DEDUP.id, "paperwire-dedup");
            case KILL_NOTIFY -> killWhileDelivering(Part.NOTIFY.id);
            case KILL_DEDUP_REPLICA -> killMidBatch(Chaos.replica(Part.DEDUP), "paperwire-dedup");
            case KILL_NOTIFY_REPLICA -> killWhileDelivering(Chaos.replica(Part.NOTIFY));
            case KILL_KAFKA -> killAndRestart(Part.KAFKA.id);
            case RESTART_POSTGRES -> restartPostgres();
            case PAUSE_DEDUP -> pauseAndResume(Part.DEDUP.id);
            case PAUSE_KAFKA -> pauseAndResume(Part.KAFKA.id);
            case PARTITION_DEDUP -> partition(Part.DEDUP.id);
        };
        double undone = Duration.between(at, Instant.now()).toMillis() / 1000.0;
        Double recovered = awaitWhole(at);
        log.printf("%s %s: %s; undone after %.1f s, whole again after %s%n", Instant.now(), f.id, detail, undone,
                recovered == null ? "more than " + RECOVERY_LIMIT.toSeconds() + " s" : String.format("%.1f s", recovered));
        return new Injected(f.id, at, detail, undone, recovered);
    }

    /**
     * Kills a consumer while its group has work in hand: a burst of sightings is posted first, and the kill comes as
     * soon as the group's lag shows it (at most 10 s later), so a batch is being folded, published or acknowledged.
     */
    private String killMidBatch(String instance, String group) throws Exception {
        long lag = 0;
        if (workload != null) {
            workload.burst(400);
            Instant until = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(until) && (lag = lag(group)) <= 0) {
                Thread.sleep(20);
            }
        }
        return killAndRestart(instance) + (lag > 0 ? ", with " + lag + " records of " + group + " in hand" : "");
    }

    /**
     * Kills a notify replica while it delivers a webhook digest (its receiver holds each delivery a few seconds): new
     * webhooks are registered until that replica is caught with a connection open to a receiver (at most 60 s);
     * failing that, it is killed mid-batch of its consumer.
     */
    private String killWhileDelivering(String instance) throws Exception {
        ProcessHandle victim = require(instance);
        if (workload != null) {
            Instant until = Instant.now().plusSeconds(60);
            Instant nextWebhook = Instant.now();
            while (Instant.now().isBefore(until)) {
                if (delivering(victim.pid())) {
                    return killAndRestart(instance) + ", while it delivered a webhook digest";
                }
                if (Instant.now().isAfter(nextWebhook)) {
                    workload.registerWebhookSoon();
                    nextWebhook = Instant.now().plus(ChaosWorkload.HOLD);
                }
                Thread.sleep(50);
            }
        }
        return killMidBatch(instance, "paperwire-notify") + " (no delivery caught under way)";
    }

    /**
     * Whether process {@code pid} is delivering a digest right now: one of its connections to a receiver is one whose
     * request the receiver is holding (ss -tnp; an idle kept-alive connection does not count).
     */
    private boolean delivering(long pid) throws IOException, InterruptedException {
        if (workload.holding.isEmpty()) {
            return false;
        }
        Process ss = new ProcessBuilder("ss", "-tnpH", "state", "established").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes());
        ss.waitFor();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && line.contains("pid=" + pid + ",")) {
                for (int port : workload.holding) {
                    if (f[2].endsWith(":" + port)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Records the group has not committed yet, over all partitions; -1 when the broker does not answer. */
    private long lag(String group) {
        Map<String, Map<TopicPartition, Long>> ends = offsets(true);
        Map<String, Map<TopicPartition, Long>> committed = offsets(false);
        if (ends == null || committed == null || !ends.containsKey(group)) {
            return -1;
        }
        long lag = 0;
        for (var e : ends.get(group).entrySet()) {
            lag += Math.max(0, e.getValue() - committed.getOrDefault(group, Map.of()).getOrDefault(e.getKey(), 0L));
        }
        return lag;
    }

    private String killAndRestart(String instance) throws Exception {
        ProcessHandle victim = require(instance);
        victim.destroyForcibly(); // SIGKILL
        victim.onExit().get(30, TimeUnit.SECONDS);
        Thread.sleep(1000); // down for a moment, as a crashed pod is before its restart
        chaos.bringBack();
        return "kill -9 of " + instance + " (pid " + victim.pid() + "), restarted";
    }

    private String restartPostgres() throws Exception {
        ProcessHandle server = Postgres.postmaster(stack.config().data().resolve("postgres"))
                .orElseThrow(() -> new IllegalStateException("PostgreSQL is not running"));
        Postgres.signal(server.pid(), "QUIT"); // pg_ctl stop -m immediate: no checkpoint, recovery from the WAL at start
        server.onExit().get(30, TimeUnit.SECONDS);
        // Its holder notices and exits; 'up' then starts PostgreSQL again on the same data.
        Optional<ProcessHandle> holder = stack.processes().running(Part.POSTGRES.id);
        if (holder.isPresent()) {
            holder.get().onExit().get(30, TimeUnit.SECONDS);
        }
        Thread.sleep(1000);
        chaos.bringBack();
        return "immediate shutdown of PostgreSQL (SIGQUIT to pid " + server.pid() + "), restarted by up";
    }

    private String pauseAndResume(String instance) throws Exception {
        ProcessHandle victim = require(instance);
        Postgres.signal(victim.pid(), "STOP");
        try {
            // A signal is delivered when the process is next scheduled: on two busy cores that can take a moment, and
            // reading the state at once found it still running (state R) in a CI run. Wait for it, briefly.
            String state = processState(victim.pid());
            for (Instant until = Instant.now().plusSeconds(5); !state.equals("T") && Instant.now().isBefore(until); ) {
                Thread.sleep(20);
                state = processState(victim.pid());
            }
            if (!state.equals("T")) {
                throw new IllegalStateException(instance + " did not stop on SIGSTOP (state " + state + ")");
            }
            Thread.sleep(pause.toMillis());
        } finally {
            Postgres.signal(victim.pid(), "CONT");
        }
        return "SIGSTOP of " + instance + " (pid " + victim.pid() + ") for " + pause.toSeconds() + " s, then SIGCONT";
    }

    /** Drops every packet dedup sends to the broker for {@link #pause}, then heals. */
    private String partition(String instance) throws Exception {
        ProcessHandle victim = require(instance);
        Path group = Files.createDirectories(NET_CLS.resolve("paperwire-chaos"));
        Files.writeString(group.resolve("net_cls.classid"), Long.toString(PARTITION_CLASSID));
        List<Long> tasks = new ArrayList<>();
        // Every thread of the JVM: net_cls classifies sockets by the task that uses them.
        try (var threads = Files.list(Path.of("/proc", Long.toString(victim.pid()), "task"))) {
            threads.forEach(t -> tasks.add(Long.parseLong(t.getFileName().toString())));
        }
        for (long task : tasks) {
            Files.writeString(group.resolve("tasks"), Long.toString(task));
        }
        List<String> rule = List.of("OUTPUT", "-p", "tcp", "--dport", Integer.toString(stack.config().kafkaPort()), "-m", "cgroup",
                "--cgroup", Long.toString(PARTITION_CLASSID), "-j", "DROP");
        run(concat("iptables", "-I", rule)); // first in the chain: no earlier ACCEPT lets the packets through
        long dropped;
        try {
            Thread.sleep(pause.toMillis());
        } finally {
            dropped = dropped();
            run(concat("iptables", "-D", rule));
            for (long task : tasks) {
                try {
                    Files.writeString(NET_CLS.resolve("tasks"), Long.toString(task));
                } catch (IOException e) {
                    // the thread has ended
                }
            }
        }
        if (dropped == 0) {
            throw new IllegalStateException("the partition of " + instance + " dropped no packet: it had no effect");
        }
        return "partition of " + instance + " (pid " + victim.pid() + ") from the broker for " + pause.toSeconds() + " s, "
                + dropped + " packets dropped";
    }

    /** The state letter of /proc/PID/stat (R, S, T for stopped, ...). */
    private static String processState(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    /** Packets the partition rule dropped so far (iptables -L OUTPUT -v -x -n, the rule with our class id). */
    private static long dropped() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("iptables", "-L", "OUTPUT", "-v", "-x", "-n").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.contains("DROP") && line.contains("cgroup " + PARTITION_CLASSID)) {
                return Long.parseLong(line.trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    private static List<String> concat(String cmd, String op, List<String> rule) {
        List<String> all = new ArrayList<>(List.of(cmd, op));
        all.addAll(rule);
        return all;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        run(List.of(cmd));
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    private ProcessHandle require(String instance) {
        return stack.processes().running(instance)
                .orElseThrow(() -> new IllegalStateException(instance + " is not running, so it cannot be faulted"));
    }

    /**
     * Seconds from {@code since} until every part and replica is ready again and every Paperwire consumer group has
     * consumed everything written up to that moment (the backlog the fault left; with the workload still running, lag
     * is never zero at any one instant); null if that does not happen within {@link #RECOVERY_LIMIT}.
     */
    Double awaitWhole(Instant since) throws InterruptedException {
        Instant deadline = Instant.now().plus(RECOVERY_LIMIT);
        Map<String, Map<TopicPartition, Long>> target = null;
        while (Instant.now().isBefore(deadline)) {
            if (target == null) {
                target = chaos.allReady() ? offsets(true) : null;
            } else if (caughtUp(target, offsets(false))) {
                return Duration.between(since, Instant.now()).toMillis() / 1000.0;
            }
            Thread.sleep(250);
        }
        return null;
    }

    /** True when every Paperwire consumer group has committed up to the end of every partition it reads. */
    boolean lagIsZero() {
        Map<String, Map<TopicPartition, Long>> ends = offsets(true);
        return ends != null && caughtUp(ends, offsets(false));
    }

    private static boolean caughtUp(Map<String, Map<TopicPartition, Long>> target, Map<String, Map<TopicPartition, Long>> committed) {
        if (committed == null) {
            return false;
        }
        for (var group : target.entrySet()) {
            Map<TopicPartition, Long> now = committed.getOrDefault(group.getKey(), Map.of());
            for (var tp : group.getValue().entrySet()) {
                if (now.getOrDefault(tp.getKey(), -1L) < tp.getValue()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The topic each Paperwire consumer group reads: its lag counts over every partition, committed on or not. */
    private static final Map<String, String> GROUP_TOPICS = Map.of(
            "paperwire-dedup", PaperTopic.SIGHTINGS.topicName(),
            "paperwire-notify", PaperTopic.CONSOLIDATED.topicName());

    /**
     * Per Paperwire consumer group, per partition of the topic it reads: the end offset ({@code ends}) or the group's
     * committed offset (0 where it has committed none); null when the broker does not answer.
     */
    private Map<String, Map<TopicPartition, Long>> offsets(boolean ends) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            Map<String, Map<TopicPartition, Long>> out = new HashMap<>();
            for (var g : GROUP_TOPICS.entrySet()) {
                var description = admin.describeTopics(List.of(g.getValue())).allTopicNames().get(5, TimeUnit.SECONDS).get(g.getValue());
                List<TopicPartition> partitions = description.partitions().stream()
                        .map(p -> new TopicPartition(g.getValue(), p.partition())).toList();
                Map<TopicPartition, Long> offsets = new HashMap<>();
                if (ends) {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                    admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).forEach((tp, info) -> offsets.put(tp, info.offset()));
                } else {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.getKey())
                            .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                    partitions.forEach(tp -> offsets.put(tp, committed.get(tp) == null ? 0L : committed.get(tp).offset()));
                }
                out.put(g.getKey(), offsets);
            }
            return out;
        } catch (Exception e) {
            return null;
        }
    }
}
