package io.paperwire.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paperwire.ingest.config.IngestConfig;
import io.paperwire.ingest.config.SourcesConfig;
import io.paperwire.ingest.repository.SourceDays;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Completeness, not only freshness: per source and listing day, how many papers the source's own documents announced,
 * how many ingest published, how many dedup consolidated, and whether the day is whole. A settled day (its last
 * document older than {@code settle}) that falls short shows in the shortfall gauges, which the alert watches.
 */
@ApplicationScoped
public class Completeness {

    private static final Logger LOG = Logger.getLogger(Completeness.class);
    private static final int MAX_ANSWER_BYTES = 1 << 20;
    /** The shortfall gauge's help, one text for its three stages. */
    public static final String SHORTFALL_DESCRIPTION = "Papers a source announced that are missing: records its last completed"
            + " harvest announced and did not deliver (stage=harvest), papers of settled days of the last week not published"
            + " by ingest (stage=ingest) or not consolidated by dedup (stage=consolidate)";

    /** One source's day. {@code consolidated} and {@code missingConsolidation} are null when dedup could not say. */
    public record Day(String source, LocalDate day, int announced, int ingested, int rejected, Long consolidated,
            int missingIngest, Long missingConsolidation, boolean settled, boolean complete) {
    }

    /** The report: when it was made, its days (newest first), and why consolidation is missing when it is. */
    public record Report(Instant at, List<Day> days, String catalogueError) {
    }

    private final SourceDays sourceDays;
    private final IngestConfig.Completeness config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Map<String, Long> shortfall = new ConcurrentHashMap<>();
    private volatile Report last;
    /** The configured sources: their gauges exist (at zero) before any of their days is in the window. */
    private final Set<String> polled;

    public Completeness(SourceDays sourceDays, IngestConfig config, SourcesConfig sources, Clock clock, MeterRegistry metrics,
            ObjectMapper json) {
        this.sourceDays = sourceDays;
        this.polled = Set.copyOf(sources.sources().keySet());
        this.config = config.completeness();
        this.clock = clock;
        this.metrics = metrics;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.catalogueTimeout()).build();
    }

    @Scheduled(every = "${paperwire.ingest.completeness.refresh:5m}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("completeness report not refreshed: %s", e.getMessage());
        }
    }

    /** The latest report, made now. */
    public Report refresh() {
        Instant now = clock.instant();
        LocalDate since = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(config.days() - 1L);
        List<SourceDays.Day> days = sourceDays.since(since);
        Map<String, Long> consolidated = null;
        String error = null;
        if (config.catalogueUrl().filter(u -> !u.isBlank()).isEmpty()) {
            error = "no catalogue URL (PAPERWIRE_CATALOGUE_URL): consolidation is not compared";
        } else {
            try {
                consolidated = consolidated(config.catalogueUrl().get(), since);
            } catch (IOException | RuntimeException e) {
                error = "dedup did not answer: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
        }
        List<Day> out = new ArrayList<>(days.size());
        Map<String, Long> missing = new HashMap<>();
        for (String source : polled) {
            missing.put(source + "\ningest", 0L);
            missing.put(source + "\nconsolidate", 0L);
            missing.put(source + "\nharvest", 0L);
        }
        // From the database, not from this replica's polls: every replica reports the same, whichever polled last.
        sourceDays.harvestShortfalls().forEach((source, n) -> missing.put(source + "\nharvest", n));
        for (SourceDays.Day d : days) {
            Long held = consolidated == null ? null : consolidated.getOrDefault(d.source() + "\n" + d.day(), 0L);
            int missingIngest = Math.max(0, d.announced() - d.ingested());
            Long missingConsolidation = held == null ? null : Math.max(0, d.ingested() - held);
            boolean settled = d.updatedAt().plus(config.settle()).isBefore(now);
            boolean complete = missingIngest == 0 && (missingConsolidation == null || missingConsolidation == 0);
            out.add(new Day(d.source(), d.day(), d.announced(), d.ingested(), d.rejected(), held, missingIngest, missingConsolidation,
                    settled, complete));
            missing.putIfAbsent(d.source() + "\ningest", 0L);
            missing.putIfAbsent(d.source() + "\nconsolidate", 0L);
            if (settled) {
                missing.merge(d.source() + "\ningest", (long) missingIngest, Long::sum);
                if (missingConsolidation != null) {
                    missing.merge(d.source() + "\nconsolidate", missingConsolidation, Long::sum);
                }
            }
        }
        publish(missing);
        Report report = new Report(now, List.copyOf(out), error);
        last = report;
        return report;
    }

    /** The last report made (by the schedule, or by a request), or a new one when there is none yet. */
    public Report report() {
        Report r = last;
        return r != null ? r : refresh();
    }

    /** The days of one source in the last report. */
    public List<Day> of(String source) {
        return report().days().stream().filter(d -> d.source().equals(source)).toList();
    }

    /** Gauges per source and stage: papers missing from settled days of the report's window. */
    private void publish(Map<String, Long> missing) {
        for (Map.Entry<String, Long> e : missing.entrySet()) {
            if (shortfall.put(e.getKey(), e.getValue()) == null) {
                String[] key = e.getKey().split("\n", 2);
                Gauge.builder("paperwire.ingest.source.shortfall", shortfall, m -> m.getOrDefault(e.getKey(), 0L))
                        .description(SHORTFALL_DESCRIPTION).tags("source", key[0], "stage", key[1]).register(metrics);
            }
        }
        for (String key : Set.copyOf(shortfall.keySet())) {
            if (!missing.containsKey(key)) {
                shortfall.put(key, 0L); // a day that left the window no longer counts
            }
        }
    }

    private Map<String, Long> consolidated(String base, LocalDate since) throws IOException, InterruptedException {
        URI uri = URI.create(base.replaceAll("/+$", "") + "/api/v1/sources/days?since=" + since);
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(config.catalogueTimeout())
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            byte[] body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode() + " from " + uri);
            }
            if (body.length > MAX_ANSWER_BYTES) {
                throw new IOException("an answer over " + MAX_ANSWER_BYTES + " bytes from " + uri);
            }
            Map<String, Long> out = new HashMap<>();
            for (JsonNode d : json.readTree(body)) {
                out.put(d.path("source").asText() + "\n" + d.path("day").asText(), d.path("papers").asLong());
            }
            return out;
        }
    }
}
