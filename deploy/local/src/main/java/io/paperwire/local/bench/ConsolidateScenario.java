package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.stack.StackException;
import java.util.concurrent.TimeUnit;

/**
 * Consolidate: sightings/s from a pre-loaded topic until stored and published, and when they were searchable;
 * baselines a bare JDBC upsert, the Debezium JDBC sink connector, the design's own writes and the search documents.
 */
final class ConsolidateScenario extends BenchPart {

    ConsolidateScenario(Context context) {
        super(context);
    }

    ObjectNode measure(int[] sizes) throws Exception {
        // A warm-up pass, not measured: a freshly started JVM spends its first tens of seconds compiling (the JIT
        // compiler threads were most of dedup's CPU in cold runs), which is start-up cost, not consolidation cost.
        int warmup = Math.min(sizes[0] / 4, 20_000);
        out.println("consolidate: warm-up, " + warmup + " sightings not measured ...");
        double warmFrom = dedupConsolidated();
        produce(PaperTopic.SIGHTINGS.topicName(), warmup, i -> sighting("bench-" + run + "-w", i, i % 3 == 0 ? "hf-bench" : "arxiv-bench"));
        while (dedupConsolidated() < warmFrom + warmup) {
            TimeUnit.MILLISECONDS.sleep(250); // waiting for the warm-up to be consolidated, not synchronising a test
        }
        awaitDedupIdle();
        Growth growth = new Growth("sightings");
        ObjectNode s = null;
        for (int n : sizes) {
            out.println("consolidate: " + n + " sightings pre-loaded, 30% of them second sightings from another source ...");
            SyntheticSightings sightings = new SyntheticSightings("bench-" + run + "-c" + n + "-", n);
            JsonNode start = dedupStatus();
            double before = start.path("sightingsConsolidated").asDouble();
            // The search projection is idle here (awaitDedupIdle): it has read all dedup published, so it has caught up
            // again when what it applied grew as much as what dedup published.
            long publishedBefore = start.path("recordsPublished").asLong();
            long appliedBefore = start.path("search").path("statesApplied").asLong();
            List<Long> lags = new ArrayList<>();
            Probe probe = probe();
            long t0 = System.nanoTime();
            produce(PaperTopic.SIGHTINGS.topicName(), n, sightings::get);
            double loaded = seconds(t0);
            // Polls dedup's own count of sightings stored and acknowledged by Kafka: counting rows in the database
            // every 100 ms cost PostgreSQL more time than some of dedup's own statements.
            JsonNode status = dedupStatus();
            while (status.path("sightingsConsolidated").asDouble() < before + n) {
                TimeUnit.MILLISECONDS.sleep(250); // polling for the end of the run, not synchronising a test
                status = dedupStatus();
                lags.add(status.path("search").path("lagMillis").asLong());
            }
            double consolidatedAfter = seconds(t0);
            double rate = n / consolidatedAfter;
            long published = status.path("recordsPublished").asLong() - publishedBefore;
            while (status.path("search").path("statesApplied").asLong() - appliedBefore < published) {
                TimeUnit.MILLISECONDS.sleep(250); // polling for the projection to catch up, not synchronising a test
                status = dedupStatus();
                lags.add(status.path("search").path("lagMillis").asLong());
            }
            double searchableAfter = seconds(t0);
            long applied = status.path("search").path("statesApplied").asLong() - appliedBefore;
            ObjectNode where = probe.stop("paperwire_dedup", "paperwire_notify");
            double jdbc = new JdbcUpsertBaseline(context).run(n, sightings::get);
            // The floors: only the rows the design stores, into dedup's schema; and the search projection's documents alone.
            out.println("consolidate: baseline design-writes (dedup's rows alone, written plainly) ...");
            DesignWritesBaseline floor = new DesignWritesBaseline(config, out);
            Probe floorProbe = probe();
            DesignWritesBaseline.Result floorResult = floor.run(n, sightings::get, DesignWritesBaseline.Work.CATALOGUE);
            double designWrites = floorResult.rate();
            ObjectNode floorWhere = floorProbe.stop("paperwire_bench");
            out.println("consolidate: baseline search-documents (the projection's documents alone) ...");
            double searchDocuments = floor.run(n, sightings::get, DesignWritesBaseline.Work.SEARCH_DOCUMENTS).rate();
            out.println("consolidate: baseline debezium-jdbc-sink (Kafka Connect standalone, Debezium JDBC sink 3.5.0.Final, upsert) ...");
            double debezium = new DebeziumBaseline(config, out).run(run + "-" + n, n, topic -> {
                try {
                    produce(topic, n, sightings::get);
                } catch (Exception e) {
                    throw new StackException("could not produce the baseline's sightings: " + e.getMessage(), e);
                }
            });
            s = JSON.createObjectNode();
            s.put("rate", round(rate)).put("unit", "sightings/s").put("sightings", n).put("warmup_sightings", warmup)
                    .put("preload_seconds", round(loaded));
            s.putObject("baselines").put("jdbc-upsert", round(jdbc)).put("debezium-jdbc-sink", round(debezium))
                    .put("design-writes", round(designWrites)).put("search-documents", round(searchDocuments));
            s.put("ratio_to_jdbc_upsert", round(rate / jdbc));
            s.put("ratio_to_debezium_jdbc_sink", round(rate / debezium));
            s.put("ratio_to_design_writes", round(rate / designWrites));
            // What the goals would need of the design's storage alone: if its own rate is below them, no implementation reaches them.
            s.put("design_writes_ratio_to_jdbc_upsert", round(designWrites / jdbc));
            s.put("design_writes_ratio_to_debezium_jdbc_sink", round(designWrites / debezium));
            // The catalogue's rows and the search documents (one per new paper), the two floors back to back on the
            // same cores: what the design must write before any JSON, Kafka or notify's read model. The ceiling of any
            // implementation of it on this machine, as far as each floor alone keeps the cores busy (measured: most
            // of both).
            double writesAndSearch = 1 / (1 / designWrites + 1 / searchDocuments);
            s.put("design_floor_with_search", round(writesAndSearch));
            s.put("design_floor_with_search_ratio_to_debezium_jdbc_sink", round(writesAndSearch / debezium));
            s.put("ratio_to_design_floor_with_search", round(rate / writesAndSearch));
            // The search projection beside it, never hidden: when every sighting was searchable, its lag while it ran
            // (the status's age of the oldest state in the projection's last batch, or of the batch it is applying,
            // sampled every 250 ms), and its rate against its own floor.
            List<Long> sorted = lags.stream().sorted().toList();
            ObjectNode search = s.putObject("search");
            search.put("rate", round(n / searchableAfter)).put("unit", "sightings/s searchable")
                    .put("searchable_seconds_after_consolidated", round(searchableAfter - consolidatedAfter))
                    .put("lag_ms_p50", percentile(sorted, 0.50)).put("lag_ms_p99", percentile(sorted, 0.99))
                    .put("lag_ms_max", sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)).put("lag_samples", sorted.size())
                    .put("records_published", published).put("records_applied", applied).put("ratio_to_search_documents", round(n / searchableAfter / searchDocuments));
            s.set("profile", where);
            s.set("design_writes_profile", floorWhere);
            ObjectNode floorRows = s.putObject("design_writes_rows");
            floorResult.rows().forEach(floorRows::put);
            growth.add(s, n);
            out.printf("consolidate: %.0f sightings/s; jdbc-upsert %.0f rows/s (%.2fx); debezium-jdbc-sink %.0f rows/s (%.2fx); "
                    + "design-writes %.0f sightings/s (%.2fx; itself %.2fx of jdbc-upsert); searchable %.1f s after consolidated, "
                    + "search lag p99 %d ms; search-documents %.0f sightings/s; both floors back to back %.0f sightings/s "
                    + "(%.2fx of debezium-jdbc-sink; consolidation %.2fx of it)%n", rate, jdbc, rate / jdbc, debezium, rate / debezium,
                    designWrites, rate / designWrites, designWrites / jdbc, searchableAfter - consolidatedAfter, percentile(sorted, 0.99),
                    searchDocuments, writesAndSearch, writesAndSearch / debezium, rate / writesAndSearch);
            awaitDedupIdle();
        }
        return growth.into(s);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /**
     * {@code n} synthetic sightings in a shuffled order, made on demand from their position: 70% first sightings of
     * distinct papers by one source, 30% second sightings of them by another. Only the order is held (4 bytes a
     * sighting), so a million of them fit the launcher's heap where the sightings themselves (~1.3 KB each) would not.
     */
    private final class SyntheticSightings {
        private final String prefix;
        private final int distinct;
        private final int[] order;

        SyntheticSightings(String prefix, int n) {
            this.prefix = prefix;
            this.distinct = (int) Math.round(n * 0.7);
            this.order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }

        PaperSighted get(int position) {
            int k = order[position];
            return k < distinct ? sighting(prefix, k, "arxiv-bench") : sighting(prefix, (k - distinct) % distinct, "hf-bench");
        }
    }
}
