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
import java.util.concurrent.atomic.AtomicReference;
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
    private static final int DOCUMENTS_PER_SECOND = 10;

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
        // compiling its consolidation path (docs/benchmarks.md, "Warm-ups", has the numbers). The measured step follows
        // without a pause, so its first seconds also carry the warm-up's last sightings, as a steady load would.
        int warmup = Math.max(1, Math.min(10, seconds / 3));
        out.println("latency: 1,000 sightings/s for " + seconds + " s after " + warmup
                + " s not measured, ingest 202 to the consolidated event downstream ...");
        String prefix = "bench-" + run + "-l";
        try (Downstream downstream = new Downstream(prefix)) {
            Load load = new Load(prefix, downstream);
            load.send(HEADLINE_RATE, warmup, false);
            Probe probe = probe();
            Step headline = load.send(HEADLINE_RATE, seconds, true);
            ObjectNode profile = probe.stop("paperwire_ingest", "paperwire_dedup", "paperwire_notify");
            ObjectNode s = JSON.createObjectNode();
            s.setAll(headline.report(profile.path("cpu_seconds")));
            s.put("warmup_s", warmup);
            s.set("profile", profile);
            out.println("latency: " + headline);

            ArrayNode curve = s.putArray("curve");
            curve.add(headline.report(profile.path("cpu_seconds")));
            Integer highest = headline.meetsGoal() ? HEADLINE_RATE : null;
            for (int rate : lowerRates) {
                awaitDedupIdle();
                awaitNotifyCaughtUp();
                CpuMeter cpu = CpuMeter.start(config);
                Step step = load.send(rate, seconds, true);
                curve.add(step.report(JSON.valueToTree(cpu.stop())));
                out.printf("latency at %,d/s: %s%n", rate, step);
                if (highest == null && step.meetsGoal()) {
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
     * One measured step: the latencies of the sightings received (ms, sorted), how many were posted and accepted, and
     * how busy the machine was while they were being posted.
     */
    private record Step(int rate, List<Double> ms, int posted, int accepted, double machineBusy) {

        /** Met only with every sighting accepted and received: a step that lost some has no tail to speak of. */
        boolean meetsGoal() {
            return posted > 0 && accepted == posted && ms.size() == accepted && pct(ms, 0.99) <= P99_GOAL_MS;
        }

        /**
         * The step as the report has it. {@code cpu_ms_per_sighting} is each part's CPU from the step's start until
         * its last sighting arrived, per sighting accepted; it includes the stack's cost at rest (about 0.13 cores
         * here), which weighs more per sighting the lower the rate.
         */
        ObjectNode report(JsonNode cpuSeconds) {
            ObjectNode p = JSON.createObjectNode();
            p.put("sightings_per_s", rate).put("posted", posted).put("refused", posted - accepted).put("sent", accepted)
                    .put("received", ms.size());
            putMs(p, "p50_ms", pct(ms, 0.50));
            putMs(p, "p99_ms", pct(ms, 0.99));
            putMs(p, "max_ms", ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1));
            p.put("machine_busy", round(machineBusy));
            ObjectNode perSighting = p.putObject("cpu_ms_per_sighting");
            if (accepted > 0) {
                cpuSeconds.fields().forEachRemaining(e -> perSighting.put(e.getKey(), Math.round(e.getValue().asDouble() * 1e6 / accepted) / 1000.0));
            }
            return p;
        }

        private static void putMs(ObjectNode p, String field, double ms) {
            if (Double.isNaN(ms)) {
                p.putNull(field); // nothing received: no percentile, rather than a 0 that reads as fast
            } else {
                p.put(field, round(ms));
            }
        }

        @Override
        public String toString() {
            return String.format("p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d received, %d refused), machine %.0f%% busy",
                    pct(ms, 0.5), pct(ms, 0.99), ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1), ms.size(), accepted, posted - accepted,
                    machineBusy * 100);
        }
    }

    /** Posts documents to ingest at a paced rate; each step's titles are new, so each is a new paper's first state. */
    private final class Load {
        private final String prefix;
        private final Downstream downstream;
        private int next;

        Load(String prefix, Downstream downstream) {
            this.prefix = prefix;
            this.downstream = downstream;
        }

        /**
         * Sends {@code rate} sightings/s for {@code seconds}; when measured, waits (at most 60 s) until downstream has
         * received every accepted one, and returns the step (the unreceived have no latency); otherwise returns null.
         */
        Step send(int rate, int seconds, boolean measured) throws Exception {
            int perDocument = rate / DOCUMENTS_PER_SECOND;
            Map<String, Long> accepted = new ConcurrentHashMap<>();
            int posted = 0;
            MachineCpu machine = MachineCpu.read();
            long start = System.nanoTime();
            for (int doc = 0; doc < seconds * DOCUMENTS_PER_SECOND; doc++) {
                long due = start + doc * (1_000_000_000L / DOCUMENTS_PER_SECOND);
                // Pacing the load, not waiting for a result: one wake-up per document. Slices of 200 us woke the load
                // generator 5,000 times a second, CPU taken from the stack it measures on the same two cores.
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("the latency load was interrupted");
                    }
                }
                downstream.rethrow();
                int from = next;
                next += perDocument;
                byte[] body = hfDocument(from, perDocument, prefix);
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.ingestPort()
                                + "/api/v1/listings?source=bench-latency")).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                long at = System.nanoTime();
                posted += perDocument;
                if (r.statusCode() == 202) {
                    for (int i = from; i < from + perDocument; i++) {
                        accepted.put(title(prefix, i), at);
                    }
                }
            }
            // The machine's load while the step's load was on; the drain below is quieter and would dilute it.
            double busy = machine.busySince();
            if (!measured) {
                return null;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!downstream.received.keySet().containsAll(accepted.keySet()) && System.nanoTime() < deadline) {
                downstream.rethrow();
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
            return new Step(rate, ms, posted, accepted.size(), busy);
        }
    }

    /** A downstream service's consumer of {@code paper.consolidated.v1}: when each of the run's papers arrived. */
    private final class Downstream implements AutoCloseable {
        final Map<String, Long> received = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Exception> failed = new AtomicReference<>();
        private final Thread thread;

        Downstream(String prefix) throws Exception {
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
                } catch (Exception e) {
                    failed.set(e); // the load's next step says so, rather than waiting for what cannot arrive
                }
            }, "bench-latency-downstream");
            thread.setDaemon(true); // never the one thread that keeps the launcher alive
            thread.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            try {
                while (!assigned.await(100, TimeUnit.MILLISECONDS)) {
                    rethrow();
                    if (!thread.isAlive()) {
                        throw new IllegalStateException("the latency consumer stopped before it was given a partition");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the latency consumer was given no partition of "
                                + PaperTopic.CONSOLIDATED.topicName() + " in 60 s");
                    }
                }
            } catch (Exception e) {
                close();
                throw e;
            }
        }

        /** Fails the measurement with the consumer's own failure, if it had one. */
        void rethrow() throws Exception {
            Exception e = failed.get();
            if (e != null) {
                throw new IllegalStateException("the latency consumer failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /**
     * How busy the machine's cores were between two readings of {@code /proc/stat} (every process, not only the
     * stack's): at 1.0 every sighting queues behind something, whatever the code does.
     */
    private record MachineCpu(long busyTicks, long totalTicks) {
        /** The share of the cores busy since this reading, 0 to 1. */
        double busySince() throws IOException {
            MachineCpu now = read();
            long t = now.totalTicks - totalTicks;
            return t <= 0 ? Double.NaN : (double) (now.busyTicks - busyTicks) / t;
        }

        static MachineCpu read() throws IOException {
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
