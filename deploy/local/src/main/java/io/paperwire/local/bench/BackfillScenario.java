package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.stack.StackException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Backfill: a whole arXiv-like OAI-PMH harvest ({@link OaiPmhServer}, pages of 1,000 records with resumption tokens)
 * polled by ingest as a configured source, until every record is consolidated by dedup and searchable (the search
 * projection caught up). Ingest is restarted with the source for the scenario and restarted as it was after it. The
 * goal (issue 21): 2.5 million records in at most 5 minutes, every service at most 300 MB.
 */
final class BackfillScenario extends BenchPart {

    static final int PAGE = 1_000;

    private final Bench.IngestRestarter ingest;
    private final PeakMemory memory;

    BackfillScenario(Context context, Bench.IngestRestarter ingest, PeakMemory memory) {
        super(context);
        this.ingest = ingest;
        this.memory = memory;
    }

    ObjectNode measure(int n) throws Exception {
        String prefix = "bench-" + run + "-b";
        String source = "bench-oai-" + run;
        int pages = (n + PAGE - 1) / PAGE;
        ObjectNode s = JSON.createObjectNode();
        awaitDedupIdle();
        try (OaiPmhServer oai = new OaiPmhServer(n, PAGE, i -> new OaiPmhServer.Paper(arxivId(prefix, i), title(prefix, i),
                abstractText(i), "Author" + (i % 1000)))) {
            out.println("backfill: restarting ingest with an OAI-PMH source of " + n + " records (" + pages + " pages) ...");
            String key = "-Dpaperwire.sources." + source;
            ingest.restartWith(List.of(key + ".kind=arxiv-oai", key + ".url=" + oai.url(), key + ".interval=24h",
                    key + ".max-pages=" + (pages + 1), "-Dpaperwire.poller.enabled=false",
                    // The stand-in is local: no pacing between its pages (arXiv's own asks for 3 s).
                    "-Dpaperwire.poller.host-interval.\"127.0.0.1\"=0s"));
            JsonNode start = dedupStatus();
            double before = start.path("sightingsConsolidated").asDouble();
            long publishedBefore = start.path("recordsPublished").asLong();
            long appliedBefore = start.path("search").path("statesApplied").asLong();
            out.println("backfill: harvesting, consolidating and indexing " + n + " records ...");
            Probe probe = probe();
            long t0 = System.nanoTime();
            // One poll walks the whole harvest (max-pages above); the answer comes when the last page is published.
            CompletableFuture<HttpResponse<String>> poll = HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + config.ingestPort() + "/api/v1/sources/" + source + "/poll")).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofHours(2)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            double harvested = Double.NaN;
            double consolidated = Double.NaN;
            List<Long> lags = new ArrayList<>();
            long nextNote = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                TimeUnit.MILLISECONDS.sleep(250); // polling for the end of the run, not synchronising a test
                JsonNode status = dedupStatus();
                lags.add(status.path("search").path("lagMillis").asLong());
                if (Double.isNaN(harvested) && poll.isDone()) {
                    HttpResponse<String> r = poll.get();
                    if (r.statusCode() != 200) {
                        throw new StackException("ingest's poll of the bench source answered " + r.statusCode() + ": " + r.body());
                    }
                    harvested = seconds(t0);
                }
                double done = status.path("sightingsConsolidated").asDouble() - before;
                if (Double.isNaN(consolidated) && done >= n) {
                    consolidated = seconds(t0);
                }
                long published = status.path("recordsPublished").asLong() - publishedBefore;
                long applied = status.path("search").path("statesApplied").asLong() - appliedBefore;
                if (!Double.isNaN(consolidated) && !Double.isNaN(harvested) && applied >= published) {
                    break;
                }
                if (System.nanoTime() > nextNote) {
                    out.printf("  %.0f s: %d pages served, %.0f consolidated, %d of %d states indexed%n", seconds(t0), oai.pagesServed(),
                            done, applied, published);
                    nextNote = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                }
            }
            double searchable = seconds(t0);
            ObjectNode where = probe.stop("paperwire_ingest", "paperwire_dedup", "paperwire_notify");
            HttpResponse<String> sourceStatus = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.ingestPort()
                    + "/api/v1/sources/" + source)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode harvest = JSON.readTree(sourceStatus.body()).path("lastHarvest");
            List<Long> sorted = lags.stream().sorted().toList();
            s.put("records", n).put("pages", pages).put("seconds", round(searchable)).put("goal_seconds", 300)
                    .put("rate", round(n / searchable)).put("unit", "records/s harvested, consolidated and searchable")
                    .put("harvested_seconds", round(harvested)).put("consolidated_seconds", round(consolidated))
                    .put("search_lag_ms_p99", sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(0.99 * sorted.size()) - 1)));
            s.set("last_harvest", harvest);
            s.set("profile", where);
            s.set("rss_mb_peak_so_far", memory.rss());
            out.printf("backfill: %d records in %.0f s (harvested in %.0f s, consolidated in %.0f s): %.0f records/s%n", n, searchable,
                    harvested, consolidated, n / searchable);
        } finally {
            out.println("backfill: restarting ingest as the stack starts it ...");
            ingest.restartWith(List.of());
        }
        return s;
    }
}
