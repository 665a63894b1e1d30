package io.paperwire.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.paperwire.local.ChaosFaults.Fault;
import io.paperwire.stack.Postgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * {@code paperwire chaos}: runs a known workload on the local stack while real faults are injected on a seeded
 * schedule, then checks that nothing acknowledged was lost or counted twice, that no paper was invented, and that
 * every digest arrived; writes a JSON report and prints a summary. The method and results: docs/reliability.md.
 */
final class Chaos {

    /** What to run: {@code --quick} injects every fault once; otherwise faults repeat for {@code duration}. */
    record Options(boolean quick, Duration duration, List<Fault> faults, long seed) {

        static Options parse(List<String> args) {
            boolean quick = args.contains("--quick");
            Duration duration = quick ? Duration.ZERO : Duration.ofMinutes(30);
            List<Fault> faults = List.of(Fault.values());
            long seed = System.currentTimeMillis() % 100_000;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--quick")) {
                    continue;
                }
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args.get(++i);
                switch (a) {
                    case "--minutes" -> duration = Duration.ofMinutes(Long.parseLong(v));
                    case "--faults" -> faults = Arrays.stream(v.split(",")).map(String::strip).map(Fault::of).toList();
                    case "--seed" -> seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + a + " (chaos [--quick] [--minutes N] "
                            + "[--faults " + Fault.names() + "] [--seed S])");
                }
            }
            return new Options(quick, duration, faults, seed);
        }
    }

    /**
     * Time-outs shortened for the run, so that a fault's consequences show within minutes: consumer sessions of 6 s
     * (a pause of 10 s outlives them), a digest lease of 30 s (a sender that died mid-delivery is re-sent after it),
     * planning every 5 s, and no per-client subscribe limit for the generator's subscribers.
     */
    static final Map<Part, List<String>> SERVICE_OPTIONS = Map.of(Part.DEDUP, List.of(
            "-Dmp.messaging.incoming.sightings-in.session.timeout.ms=6000",
            "-Dmp.messaging.incoming.sightings-in.heartbeat.interval.ms=1500"), Part.NOTIFY, List.of(
            "-Dmp.messaging.incoming.consolidated-in.session.timeout.ms=6000",
            "-Dmp.messaging.incoming.consolidated-in.heartbeat.interval.ms=1500",
            "-Dpaperwire.notify.digest.lease=PT30S",
            "-Dpaperwire.notify.mail-timeout=PT10S",
            "-Dpaperwire.notify.digest.plan-every=5s",
            "-Dpaperwire.notify.rate-limit.subscribes-per-client-per-hour=100000"));

    private final LocalStack stack;
    private final LocalConfig config;
    private final Map<String, String> env;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private PrintStream log;
    private Properties secrets;

    Chaos(LocalStack stack, Map<String, String> env, PrintStream out) {
        this.stack = stack;
        this.config = stack.config();
        this.env = env;
        this.out = out;
    }

    static String replica(Part svc) {
        return svc.id + "-2";
    }

    /**
     * The second replica's HTTP port: PAPERWIRE_DEDUP_2_PORT or PAPERWIRE_NOTIFY_2_PORT, by default the service's own
     * plus 10 (8092 for dedup, 8093 for notify).
     */
    int replicaPort(Part svc) {
        String v = env.get("PAPERWIRE_" + svc.id.toUpperCase() + "_2_PORT");
        return v == null || v.isBlank() ? svc.port(config) + 10 : Integer.parseInt(v.strip());
    }

    /**
     * Brings the stack up for a run, its services with the run's time-outs ({@link #SERVICE_OPTIONS}); returns the
     * services among them that were already running (started by an earlier command, so perhaps without the options),
     * which {@link #run} restarts. Starting them once with the options, rather than starting and then restarting them,
     * saves a start of each on a fresh stack.
     */
    static List<Part> up(LocalStack stack) throws Exception {
        List<Part> without = SERVICE_OPTIONS.keySet().stream().filter(svc -> stack.processes().running(svc.id).isPresent())
                .sorted().toList();
        SERVICE_OPTIONS.forEach(stack::addServiceOptions);
        stack.up(false);
        return without;
    }

    /**
     * Runs the whole thing after {@link #up}, first restarting {@code withoutRunOptions}; returns the exit status: 0
     * when every guarantee held and every fault was recovered from.
     */
    int run(Options o, List<Part> withoutRunOptions) throws Exception {
        Path dir = Files.createDirectories(config.state().resolve("chaos"));
        String stamp = Instant.now().toString().replace(":", "");
        Path logFile = dir.resolve("chaos-" + stamp + ".log");
        secrets = config.secrets(env);
        try (PrintStream logStream = new PrintStream(Files.newOutputStream(logFile), true)) {
            log = logStream;
            out.println("Chaos run, seed " + o.seed() + (o.quick() ? ", quick (every fault once)" : ", " + o.duration().toMinutes()
                    + " minutes") + "; log: " + logFile);
            prepare(withoutRunOptions);
            boolean quick = o.quick();
            ChaosWorkload workload = new ChaosWorkload(config, replicaPort(Part.NOTIFY), secrets.getProperty("api.token"), o.seed(),
                    Duration.ofMillis(quick ? 500 : 250), 8, Duration.ofSeconds(quick ? 8 : 20), log);
            ChaosFaults faults = new ChaosFaults(stack, this, Duration.ofSeconds(quick ? 10 : 15), workload, log);
            List<ChaosFaults.Injected> injected = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            Instant started = Instant.now();
            try (workload) {
                workload.start();
                out.println("  workload   run " + workload.run + ": a document of 8 sightings every " + (quick ? "0.5" : "0.25")
                        + " s, a subscriber every " + (quick ? 8 : 20) + " s, digest runs every 3 s");
                Thread.sleep(15_000); // some papers and a subscriber before the first fault
                List<Fault> schedule = new ArrayList<>(o.faults());
                Random random = new Random(o.seed());
                Collections.shuffle(schedule, random);
                for (Fault f : List.copyOf(schedule)) {
                    String why = ChaosFaults.unavailable(f);
                    if (why != null) {
                        skipped.add(f.id + ": " + why);
                        schedule.remove(f);
                        out.println("  skipped    " + f.id + ": " + why);
                    }
                }
                Instant end = started.plus(o.duration());
                int round = 0;
                do {
                    for (Fault f : schedule) {
                        injected.add(injectOne(faults, f));
                        Thread.sleep((quick ? 3 : 10 + random.nextInt(20)) * 1000L);
                    }
                    round++;
                    Collections.shuffle(schedule, random);
                } while (!quick && Instant.now().isBefore(end) && !schedule.isEmpty());
                out.println("  faults     " + injected.size() + " injected in " + round + " round(s); letting the workload settle");
                workload.stopGenerating(Duration.ofMinutes(3));
                boolean settled = settle(faults, workload);
                ChaosChecker.Result result = new ChaosChecker(config, workload).check();
                Path report = dir.resolve("chaos-" + stamp + ".json");
                writeReport(report, o, workload, injected, skipped, result, started, settled);
                printSummary(workload, injected, skipped, result);
                out.println("Report: " + report);
                boolean recovered = injected.stream().allMatch(i -> i.recoverySeconds() != null);
                boolean complete = settled && workload.refused.isEmpty() && workload.unconfirmed.isEmpty();
                return result.violations() == 0 && recovered && complete ? 0 : 1;
            } finally {
                log = null;
            }
        }
    }

    private ChaosFaults.Injected injectOne(ChaosFaults faults, Fault f) {
        out.print("  fault      " + f.id + " ... ");
        out.flush();
        try {
            ChaosFaults.Injected i = faults.inject(f);
            out.println(i.recoverySeconds() == null ? "NOT whole again within " + ChaosFaults.RECOVERY_LIMIT.toSeconds() + " s"
                    : String.format("whole again in %.1f s", i.recoverySeconds()));
            return i;
        } catch (Exception e) {
            out.println("could not be injected: " + e.getMessage());
            log.println("fault " + f.id + " could not be injected: " + e);
            try {
                bringBack();
            } catch (Exception again) {
                log.println("and bringing the stack back failed: " + again);
            }
            return new ChaosFaults.Injected(f.id, Instant.now(), "could not be injected: " + e.getMessage(), null, null);
        }
    }

    /** Restarts the services still without the run's time-outs, starts the second replicas afresh, and awaits all. */
    private void prepare(List<Part> withoutRunOptions) throws Exception {
        for (Part svc : withoutRunOptions) {
            stack.processes().stop(svc.id, LocalStack.STOP_GRACE);
        }
        for (Part svc : List.of(Part.DEDUP, Part.NOTIFY)) {
            stack.processes().stop(replica(svc), LocalStack.STOP_GRACE);
        }
        out.println("  stack      " + (withoutRunOptions.isEmpty() ? "" : "restarting " + withoutRunOptions.stream().map(p -> p.id)
                .toList() + " with the run's time-outs; ") + "starting second replicas of dedup and notify");
        bringBack();
        ChaosFaults probe = new ChaosFaults(stack, this, Duration.ZERO, null, log);
        if (probe.awaitWhole(Instant.now()) == null) {
            throw new IllegalStateException("the stack is not ready with no fault injected; see deploy/local/paperwire status");
        }
    }

    /** What an operator does after a fault: {@code up} (starts any part that is not running), and the second replicas. */
    void bringBack() throws IOException {
        stack.upQuietly(log);
        for (Part svc : List.of(Part.DEDUP, Part.NOTIFY)) {
            if (stack.processes().running(replica(svc)).isEmpty()) {
                stack.startService(svc, replica(svc), replicaPort(svc), secrets);
                log.println(Instant.now() + " started " + replica(svc));
            }
        }
    }

    /** Every part and both second replicas answer ready. */
    boolean allReady() {
        for (Part part : Part.values()) {
            if (!"UP".equals(Health.check(part, config))) {
                return false;
            }
        }
        for (Part svc : List.of(Part.DEDUP, Part.NOTIFY)) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Part.managementPort(replicaPort(svc))
                        + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Waits (at most 4 minutes) until the stack is whole, no digest of the run is waiting or under way, and every
     * confirmed subscriber has a digest planned: the checker then sees a system at rest.
     */
    private boolean settle(ChaosFaults faults, ChaosWorkload workload) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        Instant t0 = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            if (allReady() && faults.lagIsZero() && digestsAtRest(workload)) {
                out.printf("  settled    in %.1f s%n", Duration.between(t0, Instant.now()).toMillis() / 1000.0);
                return true;
            }
            Thread.sleep(1000);
        }
        out.println("  settled    NOT within 4 minutes; checking anyway");
        return false;
    }

    private boolean digestsAtRest(ChaosWorkload workload) {
        try (Connection c = Postgres.superuser(config.postgresPort(), "paperwire_notify");
                PreparedStatement ps = c.prepareStatement("""
                        select count(*) filter (where j.status in ('due', 'claimed', 'sending')),
                               count(*) filter (where j.subscription_id is null)
                        from subscription s left join digest_job j on j.subscription_id = s.id
                        where s.status = 'active' and (s.email like ? or s.webhook_url like ?)""")) {
            ps.setString(1, workload.run + "-%@chaos.example.org");
            ps.setString(2, "%/hook/" + workload.run + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0 && rs.getLong(2) == 0;
            }
        } catch (Exception e) {
            return false;
        }
    }

    private void writeReport(Path file, Options o, ChaosWorkload workload, List<ChaosFaults.Injected> injected, List<String> skipped,
            ChaosChecker.Result result, Instant started, boolean settled) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run", workload.run);
        report.put("seed", o.seed());
        report.put("quick", o.quick());
        report.put("startedAt", started.toString());
        report.put("seconds", Duration.between(started, Instant.now()).toSeconds());
        report.put("faultsSkipped", skipped);
        report.put("faults", injected);
        report.put("sightings", result.sightings());
        report.put("papers", result.papers());
        report.put("digests", result.digests());
        report.put("webhooks", result.webhooks());
        report.put("subscribersNotConfirmed", workload.unconfirmed);
        report.put("ingestRetries", workload.retries);
        report.put("documentsRefused", workload.refused);
        report.put("settled", settled);
        report.put("examples", result.examples());
        report.put("violations", result.violations());
        new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    }

    private void printSummary(ChaosWorkload workload, List<ChaosFaults.Injected> injected, List<String> skipped, ChaosChecker.Result r) {
        out.println();
        out.println("Fault                  injected   undone (s)   whole again (s): median   max");
        Map<String, List<ChaosFaults.Injected>> byFault = new LinkedHashMap<>();
        injected.forEach(i -> byFault.computeIfAbsent(i.fault(), k -> new ArrayList<>()).add(i));
        byFault.forEach((f, all) -> {
            List<Double> ok = all.stream().map(ChaosFaults.Injected::recoverySeconds).filter(t -> t != null).sorted().toList();
            String median = ok.isEmpty() ? "-" : String.format("%.1f", ok.get(ok.size() / 2));
            String max = ok.size() < all.size() ? "never" : String.format("%.1f", ok.get(ok.size() - 1));
            double undone = all.stream().map(ChaosFaults.Injected::undoneSeconds).filter(t -> t != null)
                    .mapToDouble(Double::doubleValue).max().orElse(0);
            out.printf("  %-20s %8d   %10.1f   %22s %6s%n", f, all.size(), undone, median, max);
        });
        skipped.forEach(s -> out.println("  skipped: " + s));
        out.println();
        out.println("Guarantee                                    count   verdict");
        line("sightings acknowledged", r.sightings().get("acknowledged"), null);
        line("sightings consolidated", r.sightings().get("consolidated"), null);
        line("sightings lost", r.sightings().get("lost"), true);
        line("sightings counted twice", r.sightings().get("countedTwice"), true);
        line("papers (logical) split in two", r.papers().get("split"), true);
        line("phantom papers on the topic", r.papers().get("phantomsOnTopic"), true);
        line("phantom papers in notify's read model", r.papers().get("phantomsInReadModel"), true);
        line("papers whose topic state is stale", r.papers().get("staleOnTopic"), true);
        line("merged papers still live on the topic", r.papers().get("mergedButLiveOnTopic"), true);
        line("merges never announced", r.papers().get("mergesNotAnnounced"), true);
        line("papers stale in notify's read model", r.papers().get("staleInReadModel"), true);
        line("papers its API shows otherwise", r.papers().get("apiDisagrees"), true);
        line("mail digests expected", r.digests().get("expected"), null);
        line("mail digests missing", r.digests().get("missing"), true);
        line("mail copies, same Message-ID", r.digests().get("extraCopiesWithTheSameMessageId"), null);
        line("mail digests with another Message-ID", r.digests().get("withAnotherMessageId"), true);
        line("mail digests to the wrong address", r.digests().get("misaddressed"), true);
        line("webhook digests expected", r.webhooks().get("expected"), null);
        line("webhook digests missing", r.webhooks().get("missing"), true);
        line("webhook copies, same delivery id", r.webhooks().get("extraCopiesWithTheSameDeliveryId"), null);
        line("webhook copies, other delivery id", r.webhooks().get("withAnotherDeliveryId"), true);
        line("webhook digests to the wrong URL", r.webhooks().get("misaddressed"), true);
        out.println();
        if (!workload.refused.isEmpty() || !workload.unconfirmed.isEmpty()) {
            out.println("  incomplete: " + workload.refused.size() + " document(s) refused or never acknowledged, "
                    + workload.unconfirmed.size() + " subscriber(s) never confirmed (see the report)");
        }
        out.println(r.violations() == 0 ? "Every guarantee held." : r.violations() + " violation(s); examples in the report.");
    }

    private void line(String what, Object count, Boolean mustBeZero) {
        String verdict = mustBeZero == null ? "" : ((Number) count).longValue() == 0 ? "ok" : "VIOLATED";
        out.printf("  %-40s %7s   %s%n", what, count, verdict);
    }
}
