package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.local.LocalConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * {@code paperwire bench [--quick|--smoke]}: measures the running local stack against baselines measured in the same run on
 * the same broker, database and mail server, and writes a JSON report. Scenarios: ingest (sightings/s from POSTed
 * 1,000-entry documents until Kafka acknowledged them; baseline Kafka's own producer performance tool), consolidate
 * (sightings/s from a pre-loaded topic until stored and published; baseline a plain batched JDBC upsert), latency
 * (ingest 202 to a downstream consumer receiving the consolidated event, at a steady 1,000 sightings/s), fan-out
 * (digests/s to confirmed subscribers; baseline a plain JavaMail loop), backfill (a whole OAI-PMH harvest polled by
 * ingest until consolidated and searchable), pages (the public site's pages under load over a
 * read model of up to a million papers; baseline a static file from the same server), and each service's peak
 * resident memory.
 * Ingest and consolidate also measure their floors: the same work done plainly ({@link IngestFloorBaseline},
 * {@link DesignWritesBaseline}), which tell how much of the distance to a baseline is the design's own work.
 */
public final class Bench {

    private static final ObjectMapper JSON = BenchPart.JSON;

    private final LocalConfig config;
    private final Map<String, String> env;
    private final PrintStream out;
    private final IngestRestarter ingest;
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    /** {@code ingest} restarts the stack's ingest with extra JVM options (the backfill's source), or as it started it. */
    public Bench(LocalConfig config, Map<String, String> env, PrintStream out, IngestRestarter ingest) {
        this.config = config;
        this.env = env;
        this.out = out;
        this.ingest = ingest;
    }

    /** Restarts the stack's ingest with extra JVM options (none: as the stack starts it). */
    @FunctionalInterface
    public interface IngestRestarter {
        void restartWith(List<String> jvmOptions) throws Exception;
    }

    /**
     * How big a run is: {@code smoke} only proves the suite works (the system tests run it), {@code quick} fits in 10
     * minutes, {@code full} runs each throughput scenario at two sizes ten times apart, to show how cost grows with the work.
     */
    public enum Size {
        SMOKE(new int[] {1_000, 2_000}, new int[] {500, 1_000}, 3, new int[] {500}, new int[] {10, 20}, 2_000, 2_500),
        QUICK(new int[] {20_000}, new int[] {20_000}, 10, new int[] {750, 500, 250}, new int[] {500}, 100_000, 100_000),
        FULL(new int[] {100_000, 1_000_000}, new int[] {100_000, 1_000_000}, 30, new int[] {750, 500, 250}, new int[] {10_000, 100_000},
                1_000_000, 2_500_000);

        final int[] ingest;
        final int[] consolidate;
        final int latencySeconds;
        /** The latency curve's rates below the goal's 1,000 sightings/s, in sightings/s, measured in this order. */
        final int[] latencyRates;
        final int[] subscribers;
        /** Papers in notify's read model for the pages scenario. */
        final int pages;
        /** Records of the backfill's OAI-PMH harvest. */
        final int backfill;

        Size(int[] ingest, int[] consolidate, int latencySeconds, int[] latencyRates, int[] subscribers, int pages, int backfill) {
            this.latencyRates = latencyRates;
            this.pages = pages;
            this.backfill = backfill;
            this.ingest = ingest;
            this.consolidate = consolidate;
            this.latencySeconds = latencySeconds;
            this.subscribers = subscribers;
        }
    }

    public Path run(Size size, Set<String> only) throws Exception {
        Properties secrets = config.secrets(env);
        BenchPart.Context context = new BenchPart.Context(config, out, new Random(42), run, secrets.getProperty("api.token"), secrets);
        PeakMemory memory = new PeakMemory(context);
        ObjectNode report = JSON.createObjectNode();
        ObjectNode scenarios = report.putObject("scenarios");

        out.println("bench " + size.name().toLowerCase() + ", run " + run + (only.isEmpty() ? "" : ", only " + only));
        // Each scenario also reports the services' peak resident memory so far, to tell which one set the peak.
        if (wanted(only, "ingest")) {
            scenarios.set("ingest", new IngestScenario(context).measure(size.ingest).set("rss_mb_peak_so_far", memory.rss()));
            memory.awaitDedupIdle();
        }
        if (wanted(only, "consolidate")) {
            scenarios.set("consolidate", new ConsolidateScenario(context).measure(size.consolidate).set("rss_mb_peak_so_far", memory.rss()));
            memory.awaitDedupIdle();
        }
        if (wanted(only, "backfill")) {
            scenarios.set("backfill", new BackfillScenario(context, ingest, memory).measure(size.backfill));
            memory.awaitDedupIdle();
        }
        if (wanted(only, "latency")) {
            scenarios.set("latency", new LatencyScenario(context).measure(size.latencySeconds, size.latencyRates).set("rss_mb_peak_so_far", memory.rss()));
        }
        if (wanted(only, "fanout")) {
            scenarios.set("fanout", new FanoutScenario(context).measure(size.subscribers).set("rss_mb_peak_so_far", memory.rss()));
        }
        if (wanted(only, "pages")) {
            scenarios.set("pages", new PagesScenario(context).measure(size.pages, size.latencySeconds).set("rss_mb_peak_so_far", memory.rss()));
        }
        scenarios.set("rss_mb", memory.rss());
        ObjectNode machine = report.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("size", size.name().toLowerCase());
        machine.put("at", Instant.now().toString());
        Path dir = Files.createDirectories(config.state().resolve("bench"));
        Path file = dir.resolve("bench-" + Instant.now().toString().replace(":", "") + ".json");
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        out.println("report: " + file);
        return file;
    }

    /** The scenarios {@code --only} accepts; {@code rss_mb} is always reported. */
    public static final List<String> SCENARIOS = List.of("ingest", "consolidate", "backfill", "latency", "fanout", "pages");

    private static boolean wanted(Set<String> only, String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }
}
