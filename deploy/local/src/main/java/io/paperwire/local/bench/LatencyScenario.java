package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.events.topic.PaperTopic;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Latency: ingest's 202 to a downstream consumer receiving the consolidated event, at a steady 1,000 sightings/s. */
final class LatencyScenario extends BenchPart {

    LatencyScenario(Context context) {
        super(context);
    }

    ObjectNode measure(int seconds) throws Exception {
        awaitDedupIdle();
        awaitNotifyCaughtUp();
        // The load runs a warm-up first, not measured, at the same rate: a service's first seconds at this load pay for
        // compiling its consolidation path (docs/benchmarks.md, "Warm-ups", has the numbers).
        int warmup = Math.max(1, Math.min(10, seconds / 3));
        out.println("latency: 1,000 sightings/s for " + seconds + " s after " + warmup
                + " s not measured, ingest 202 to the consolidated event downstream ...");
        Map<String, Long> accepted = new ConcurrentHashMap<>();
        Map<String, Long> received = new ConcurrentHashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + run);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        Thread consumer;
        var stop = new AtomicBoolean();
        var assigned = new CountDownLatch(1);
        String prefix = "bench-" + run + "-l";
        consumer = new Thread(() -> {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of(PaperTopic.CONSOLIDATED.topicName()));
                while (!stop.get()) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        if (r.value() != null && r.value().contains(prefix)) {
                            try {
                                String title = JSON.readTree(r.value()).path("title").asText();
                                received.putIfAbsent(title, now);
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
        consumer.start();
        assigned.await(60, TimeUnit.SECONDS);
        int perTick = 100;
        int measuredFrom = warmup * 10;
        Probe probe = null;
        long start = System.nanoTime();
        for (int tick = 0; tick < measuredFrom + seconds * 10; tick++) {
            if (tick == measuredFrom) {
                probe = probe();
            }
            long due = start + tick * 100_000_000L;
            while (System.nanoTime() < due) {
                TimeUnit.MICROSECONDS.sleep(200); // pacing the load at 1,000/s, not waiting for a result
            }
            byte[] doc = hfDocument(tick * perTick, perTick, prefix);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.ingestPort()
                            + "/api/v1/listings?source=bench-latency")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(doc)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long at = System.nanoTime();
            if (r.statusCode() == 202 && tick >= measuredFrom) {
                for (int i = 0; i < perTick; i++) {
                    accepted.put(title(prefix, tick * perTick + i), at);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.keySet().containsAll(accepted.keySet()) == false && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        stop.set(true);
        consumer.join();
        ObjectNode where = probe.stop("paperwire_ingest", "paperwire_dedup", "paperwire_notify");
        List<Double> ms = new ArrayList<>();
        accepted.forEach((title, at) -> {
            Long got = received.get(title);
            if (got != null) {
                ms.add((got - at) / 1e6);
            }
        });
        Collections.sort(ms);
        ObjectNode s = JSON.createObjectNode();
        s.put("sightings_per_s", 1000).put("warmup_s", warmup).put("sent", accepted.size()).put("received", ms.size());
        s.set("profile", where);
        s.put("p50_ms", round(pct(ms, 0.50))).put("p99_ms", round(pct(ms, 0.99))).put("max_ms", round(ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1)));
        out.printf("latency: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d of %d received)%n", pct(ms, 0.5), pct(ms, 0.99),
                ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1), ms.size(), accepted.size());
        return s;
    }
}
