package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.local.PausedParts;
import io.paperwire.local.Processes;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Ingest: sightings/s from POSTed 1,000-entry documents until Kafka acknowledged them, from {@link #CLIENTS} clients,
 * with dedup and notify paused; baselines Kafka's own producer tool and the ingest floor.
 */
final class IngestScenario extends BenchPart {

    IngestScenario(Context context) {
        super(context);
    }

    /** Concurrent clients posting listings. */
    static final int CLIENTS = 4;

    ObjectNode measure(int[] sizes) throws Exception {
        try {
            return ingestRounds(sizes);
        } finally {
            deleteDocuments();
        }
    }

    private ObjectNode ingestRounds(int[] sizes) throws Exception {
        // A warm-up pass, not measured (as for consolidate and fan-out); the producer tool gets its own (producerPerf).
        int warmup = Math.max(1_000, Math.min(sizes[0] / 10, 20_000));
        out.println("ingest: warm-up, " + warmup + " sightings not measured ...");
        post(documents("bench-" + run + "-iw", warmup));
        awaitDedupIdle();
        Growth growth = new Growth("sightings");
        ObjectNode s = null;
        double shared = Double.NaN;
        for (int n : sizes) {
            // Measured alone, as the producer tool runs alone: dedup and notify, which consolidate what ingest sends,
            // are held still (SIGSTOP) for the round and catch up after it. Sharing the two cores with them, ingest
            // gets about half of that; the first size is posted once more with them running, for the report.
            out.println("ingest: " + n + " sightings in documents of 1,000 entries from " + CLIENTS
                    + " clients, dedup and notify paused ...");
            List<Path> documents = documents("bench-" + run + "-i" + n + "-", n);
            double consolidatedBefore = dedupConsolidated();
            Probe probe = probe();
            double rate;
            try (PausedParts paused = PausedParts.pause(new Processes(config.pids()), "dedup", "notify")) {
                long t0 = System.nanoTime();
                post(documents);
                rate = n / seconds(t0);
            }
            ObjectNode where = probe.stop("paperwire_ingest");
            out.printf("ingest: %.0f sightings/s alone; dedup and notify catching up ...%n", rate);
            // Resumed, dedup first has to rejoin its consumer group: idle only once it consolidated the whole round.
            while (dedupConsolidated() < consolidatedBefore + n) {
                TimeUnit.MILLISECONDS.sleep(250); // waiting for the backlog to drain, not synchronising a test
            }
            awaitDedupIdle();
            int recordSize = sightingSize();
            ProducerPerfBaseline.Rate baseline = new ProducerPerfBaseline(context).run(n, recordSize);
            out.println("ingest: baseline ingest-floor (the same documents parsed, mapped and sent with nothing around them) ...");
            List<Path> floorDocuments = documents("bench-" + run + "-if" + n + "-", n);
            Probe floorProbe = probe();
            double floor;
            try {
                floor = new IngestFloorBaseline(config).run(floorDocuments, n, CLIENTS, "bench.ingest-floor." + run + "-" + n);
            } finally {
                for (Path d : floorDocuments) {
                    Files.deleteIfExists(d);
                }
            }
            ObjectNode floorWhere = floorProbe.stop("paperwire_ingest");
            s = JSON.createObjectNode();
            s.put("rate", round(rate)).put("unit", "sightings/s").put("sightings", n).put("record_bytes", recordSize)
                    .put("clients", CLIENTS).put("warmup_sightings", warmup).put("consumers_paused", true);
            s.putObject("baselines").put("kafka-producer", round(baseline.steady())).put("ingest-floor", round(floor));
            s.put("ratio_to_kafka_producer", round(rate / baseline.steady()));
            s.put("ratio_to_ingest_floor", round(rate / floor));
            // What the goal would need of the work itself: if the floor is below it, no implementation reaches it.
            s.put("ingest_floor_ratio_to_kafka_producer", round(floor / baseline.steady()));
            s.set("ingest_floor_profile", floorWhere);
            s.put("kafka_producer_with_its_warmup", round(baseline.overall())).put("kafka_producer_warmup_records", baseline.warmup());
            if (n == sizes[0]) {
                out.println("ingest: " + n + " sightings again, with dedup and notify consolidating at the same time ...");
                List<Path> again = documents("bench-" + run + "-ic" + n + "-", n);
                long t0 = System.nanoTime();
                post(again);
                shared = n / seconds(t0);
                out.printf("ingest: %.0f sightings/s while consolidating%n", shared);
                awaitDedupIdle();
            }
            s.set("profile", where);
            growth.add(s, n);
            out.printf("ingest: %.0f sightings/s; kafka-producer %.0f records/s in its steady state (%.2fx); ingest-floor %.0f "
                    + "sightings/s (%.2fx; itself %.2fx of kafka-producer)%n", rate, baseline.steady(), rate / baseline.steady(),
                    floor, rate / floor, floor / baseline.steady());
        }
        return growth.into(s).put("rate_while_consolidating", round(shared)).put("rate_while_consolidating_sightings", sizes[0]);
    }

    /** What the rounds left of their documents: each accepted one is deleted at once, a failed round leaves the rest. */
    private void deleteDocuments() throws IOException {
        Path dir = config.state().resolve("bench").resolve("documents-" + run);
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.delete(dir);
        }
    }

    /**
     * {@code n} sightings as documents of up to 1,000 entries, written to files before a round is timed: building
     * them as the round went cost the load generator almost as much CPU as ingest itself (50 us per entry, on the
     * same two cores), where the producer tool makes its payload once. 1M sightings are 1.3 GB of files, deleted
     * after the round; held in memory they would not fit the launcher's heap.
     */
    private List<Path> documents(String prefix, int n) throws Exception {
        Path dir = Files.createDirectories(config.state().resolve("bench").resolve("documents-" + run));
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Path>> written = new ArrayList<>();
            for (int from = 0; from < n; from += 1000) {
                int first = from;
                written.add(writers.submit(() -> Files.write(dir.resolve(prefix + first + ".json"),
                        hfDocument(first, Math.min(1000, n - first), prefix))));
            }
            List<Path> files = new ArrayList<>();
            for (Future<Path> f : written) {
                files.add(f.get());
            }
            return files;
        } finally {
            writers.shutdownNow();
        }
    }

    /**
     * Posts the documents from {@link #CLIENTS} clients at once, as sources would (a poller per source, a few
     * clients): one client alone leaves ingest idle while Kafka acknowledges its document, where the producer tool
     * keeps sending. Each file is deleted once ingest accepted it.
     */
    private void post(List<Path> documents) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> posted = new ArrayList<>();
            for (Path doc : documents) {
                posted.add(clients.submit(() -> {
                    postListing(HttpRequest.BodyPublishers.ofFile(doc));
                    Files.delete(doc);
                    return null;
                }));
            }
            for (Future<?> f : posted) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
