package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.events.topic.PaperTopic;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Latency: ingest's 202 to a downstream consumer receiving the consolidated event, at a steady 1,000 sightings/s (the
 * goal's rate, the headline), then at lower rates down the same path: the curve says up to which load the machine
 * keeps the tail short, and how busy its cores were at each step, so a missed goal reads as "the pipeline is slow" or
 * "the machine is full" from the report alone.
 */
final class LatencyScenario extends BenchPart {

    /** The goal the report's {@code p99_goal_ms} and {@code highest_rate_meeting_goal} refer to (issue 21). */
    static final double P99_GOAL_MS = 150;
    private static final int HEADLINE_RATE = 1_000;
    /** Documents are posted every 100 ms, as a busy poller would; a step's rate sets their size. */
    private static final int TICKS_PER_SECOND = 10;

    LatencyScenario(Context context) {
        super(context);
    }

    /**
     * Measures the headline rate for {@code seconds}, then each of {@code lowerRates} (descending) for as long, each
     * step once the stack has drained the one before.
     */
    ObjectNode measure(int seconds, int[] lowerRates) throws Exception {
        awaitDedupIdle();
        awaitNotifyCaughtUp();
        // The load runs a warm-up first, not measured, at the same rate: a service's first seconds at this load pay for
        // compiling its consolidation path (docs/benchmarks.md, "Warm-ups", has the numbers).
        int warmup = Math.max(1, Math.min(10, seconds / 3));
        out.println("latency: 1,000 sightings/s for " + seconds + " s after " + warmup
                + " s not measured, ingest 202 to the consolidated event downstream ...");
        String prefix = "bench-" + run + "-l";
        try (Downstream downstream = new Downstream(prefix)) {
            Load load = new Load(prefix, downstream);
            load.send(HEADLINE_RATE, warmup, false);
            Probe probe = probe();
            MachineCpu machine = MachineCpu.start();
            List<Double> ms = load.send(HEADLINE_RATE, seconds, true);
            double busy = machine.busySince();
            ObjectNode s = JSON.createObjectNode();
            s.put("sightings_per_s", HEADLINE_RATE).put("warmup_s", warmup).put("sent", load.sent).put("received", ms.size());
            s.set("profile", probe.stop("paperwire_ingest", "paperwire_dedup", "paperwire_notify"));
            s.put("p50_ms", round(pct(ms, 0.50))).put("p99_ms", round(pct(ms, 0.99)))
                    .put("max_ms", round(ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1)));
            s.put("machine_busy", round(busy));
            out.printf("latency: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d received), machine %.0f%% busy%n", pct(ms, 0.5),
                    pct(ms, 0.99), ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1), ms.size(), load.sent, busy * 100);

            ArrayNode curve = s.putArray("curve");
            curve.add(step(HEADLINE_RATE, ms, load.sent, busy, s.path("profile").path("cpu_seconds")));
            Integer highest = pct(ms, 0.99) <= P99_GOAL_MS && ms.size() == load.sent ? HEADLINE_RATE : null;
            for (int rate : lowerRates) {
                awaitDedupIdle();
                awaitNotifyCaughtUp();
                machine = MachineCpu.start();
                CpuMeter cpu = CpuMeter.start(config);
                List<Double> at = load.send(rate, seconds, true);
                double b = machine.busySince();
                curve.add(step(rate, at, load.sent, b, JSON.valueToTree(cpu.stop())));
                out.printf("latency at %,d/s: p50 %.0f ms, p99 %.0f ms (%d of %d received), machine %.0f%% busy%n", rate, pct(at, 0.5),
                        pct(at, 0.99), at.size(), load.sent, b * 100);
                if (highest == null && pct(at, 0.99) <= P99_GOAL_MS && at.size() == load.sent) {
                    highest = rate;
                }
            }
            s.put("p99_goal_ms", P99_GOAL_MS);
            if (highest == null) {
                s.putNull("highest_rate_meeting_goal");
            } else {
                s.put("highest_rate_meeting_goal", highest);
            }
            return s;
        }
    }

    /**
     * One point of the curve. {@code cpu_ms_per_sighting} is each part's CPU (from the step's start until its last
     * sighting arrived) per sighting sent: what stays flat as the rate falls is per-sighting work, what grows is work
     * per document, batch or poll, paid whatever their size.
     */
    private static ObjectNode step(int rate, List<Double> ms, int sent, double busy, JsonNode cpuSeconds) {
        ObjectNode p = JSON.createObjectNode();
        p.put("sightings_per_s", rate).put("sent", sent).put("received", ms.size());
        p.put("p50_ms", round(pct(ms, 0.50))).put("p99_ms", round(pct(ms, 0.99)));
        p.put("max_ms", round(ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1))).put("machine_busy", round(busy));
        ObjectNode perSighting = p.putObject("cpu_ms_per_sighting");
        cpuSeconds.fields().forEachRemaining(e -> perSighting.put(e.getKey(), sent == 0 ? Double.NaN : round(e.getValue().asDouble() * 1000 / sent)));
        return p;
    }

    /** Posts documents to ingest at a paced rate; each step's titles are new, so each is a new paper's first state. */
    private final class Load {
        private final String prefix;
        private final Downstream downstream;
        private int next;
        int sent;

        Load(String prefix, Downstream downstream) {
            this.prefix = prefix;
            this.downstream = downstream;
        }

        /**
         * Sends {@code rate} sightings/s for {@code seconds}; when measured, waits (at most 60 s) until downstream has
         * received every accepted one and returns each one's latency in ms, sorted (the unreceived are missing).
         */
        List<Double> send(int rate, int seconds, boolean measured) throws Exception {
            int perTick = rate / TICKS_PER_SECOND;
            Map<String, Long> accepted = new ConcurrentHashMap<>();
            long start = System.nanoTime();
            for (int tick = 0; tick < seconds * TICKS_PER_SECOND; tick++) {
                long due = start + tick * (1_000_000_000L / TICKS_PER_SECOND);
                // Pacing the load, not waiting for a result: one wake-up per document. Slices of 200 us woke the load
                // generator 5,000 times a second, CPU taken from the stack it measures on the same two cores.
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                int from = next;
                next += perTick;
                byte[] doc = hfDocument(from, perTick, prefix);
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.ingestPort()
                                + "/api/v1/listings?source=bench-latency")).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(doc)).build(),
                        HttpResponse.BodyHandlers.ofString());
                long at = System.nanoTime();
                if (r.statusCode() == 202 && measured) {
                    for (int i = from; i < from + perTick; i++) {
                        accepted.put(title(prefix, i), at);
                    }
                }
            }
            sent = accepted.size();
            if (!measured) {
                return List.of();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!downstream.received.keySet().containsAll(accepted.keySet()) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100); // the tail arriving, bounded
            }
            List<Double> ms = new ArrayList<>();
            accepted.forEach((title, at) -> {
                Long got = downstream.received.get(title);
                if (got != null) {
                    ms.add((got - at) / 1e6);
                }
            });
            Collections.sort(ms);
            return ms;
        }
    }

    /** A downstream service's consumer of {@code paper.consolidated.v1}: when each of the run's papers arrived. */
    private final class Downstream implements AutoCloseable {
        final Map<String, Long> received = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Downstream(String prefix) throws InterruptedException {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + run);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            var assigned = new CountDownLatch(1);
            thread = new Thread(() -> {
                try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                    c.subscribe(List.of(PaperTopic.CONSOLIDATED.topicName()));
                    while (!stop.get()) {
                        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
                            long now = System.nanoTime();
                            if (r.value() != null && r.value().contains(prefix)) {
                                try {
                                    received.putIfAbsent(JSON.readTree(r.value()).path("title").asText(), now);
                                } catch (Exception ignored) {
                                    // not a paper state
                                }
                            }
                        }
                        if (!c.assignment().isEmpty()) {
                            assigned.countDown();
                        }
                    }
                }
            });
            thread.start();
            if (!assigned.await(60, TimeUnit.SECONDS)) {
                close();
                throw new IllegalStateException("the latency consumer was given no partition of "
                        + PaperTopic.CONSOLIDATED.topicName() + " in 60 s");
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }

    /**
     * How busy the machine's cores were between two readings of {@code /proc/stat} (every process, not only the
     * stack's): at 1.0 every sighting queues behind something, whatever the code does.
     */
    private record MachineCpu(long busyTicks, long totalTicks) {
        static MachineCpu start() throws IOException {
            return read();
        }

        /** The share of the cores busy since this reading, 0 to 1. */
        double busySince() throws IOException {
            MachineCpu now = read();
            long t = now.totalTicks - totalTicks;
            return t <= 0 ? Double.NaN : (double) (now.busyTicks - busyTicks) / t;
        }

        private static MachineCpu read() throws IOException {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...: idle and iowait are the idle time
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new MachineCpu(total - idle, total);
        }
    }
}
