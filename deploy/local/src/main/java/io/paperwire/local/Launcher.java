package io.paperwire.local;

import io.paperwire.local.bench.Bench;
import io.paperwire.stack.StackException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code deploy/local/paperwire}: one command for the whole local stack. */
public final class Launcher {

    static final String USAGE = """
            usage: deploy/local/paperwire COMMAND
              up [--no-samples]       start Kafka, PostgreSQL, SMTP and the three services; load the sample listings
              down [--purge]          stop everything 'up' started; --purge also deletes data, logs and secrets
              status                  each part with pid, port and health
              topics                  topics with partitions and end offsets; consumer groups with lag
              chaos [--quick] [--minutes N] [--faults F,...] [--seed S]
                                      a known workload while real faults are injected (kill -9 of each part, broker
                                      and database restarts, pauses, a partition), then a check that nothing was
                                      lost, doubled or invented and every digest arrived; writes a JSON report;
                                      --quick injects every fault once (a few minutes), else 30 minutes of faults
              mail [--json] [ADDRESS] mail the local SMTP server received
              dlq list|replay [--max N]
                                      the dead letters of paper.sightings.v1.dlq with their reasons, or send them back
                                      to their topic (progress kept; a rerun resumes); the Kubernetes Job runs the same
              logs [NAME] [--lines N] where each part logs, or the tail of one part's log
              bench [--quick|--smoke] [--only S,...]
                                      measure the stack against baselines (brings it up first); writes a JSON report;
                                      scenarios: ingest, consolidate, latency, fanout (peak RSS is always reported);
                                      --quick fits in 10 minutes, --smoke only proves the suite runs; the full
                                      run (about 30 minutes) measures 100k and 1M sightings, 10k and 100k subscribers
            Ports and paths: PAPERWIRE_{KAFKA,POSTGRES,SMTP,MAIL_API,INGEST,DEDUP,NOTIFY}_PORT, PAPERWIRE_STATE_DIR.
            The services listen on 127.0.0.1; PAPERWIRE_BIND_ADDRESS=0.0.0.0 opens them to the network.
            API token: PAPERWIRE_API_TOKEN, or one generated on first 'up'.
            Tracing (off by default): PAPERWIRE_OTLP_ENDPOINT=http://127.0.0.1:4317 (PAPERWIRE_OTLP_PROTOCOL=http/protobuf
            for an OTLP/HTTP receiver on :4318) sends every service's spans there.
            Extra service configuration (pollers, say): PAPERWIRE_{INGEST,DEDUP,NOTIFY}_CONFIG=path/to/file.properties
            Extra JVM options for the three services: PAPERWIRE_SERVICE_JAVA_OPTS (e.g. -XX:NativeMemoryTracking=summary)""";

    private Launcher() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String home = System.getProperty("paperwire.home", ".");
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        try {
            LocalConfig config = LocalConfig.fromEnvironment(Path.of(home).toAbsolutePath().normalize(), env);
            LocalStack stack = new LocalStack(config, env, out);
            Reports reports = new Reports(config, out);
            switch (args[0]) {
                case "up" -> stack.up(!flag(rest, "--no-samples"));
                case "down" -> {
                    return stack.down(flag(rest, "--purge")).isEmpty() ? 0 : 1;
                }
                case "status" -> {
                    return stack.status() ? 0 : 1;
                }
                case "topics" -> reports.topics();
                case "bench" -> {
                    Bench.Size size = flag(rest, "--smoke") ? Bench.Size.SMOKE : flag(rest, "--quick") ? Bench.Size.QUICK : Bench.Size.FULL;
                    Set<String> only = new LinkedHashSet<>();
                    int i = rest.indexOf("--only");
                    if (i >= 0) {
                        if (i + 1 >= rest.size()) {
                            throw new IllegalArgumentException("--only needs a list of scenarios: " + String.join(",", Bench.SCENARIOS));
                        }
                        only.addAll(List.of(rest.remove(i + 1).split(",")));
                        rest.remove(i);
                        if (!Bench.SCENARIOS.containsAll(only)) {
                            throw new IllegalArgumentException("unknown scenario in --only " + only + "; known: " + String.join(",", Bench.SCENARIOS));
                        }
                    }
                    stack.up(false);
                    new Bench(config, env, out, options -> stack.restartService(Part.INGEST, options)).run(size, only);
                }
                case "chaos" -> {
                    Chaos.Options options = Chaos.Options.parse(rest);
                    List<Part> withoutRunOptions = Chaos.up(stack);
                    return new Chaos(stack, env, out).run(options, withoutRunOptions);
                }
                case "mail" -> reports.mail(flag(rest, "--json"), rest.isEmpty() ? null : rest.get(0));
                case "dlq" -> {
                    return DeadLetters.run(config, rest);
                }
                case "logs" -> {
                    int lines = 100;
                    int i = rest.indexOf("--lines");
                    if (i >= 0 && i + 1 < rest.size()) {
                        lines = Integer.parseInt(rest.remove(i + 1));
                        rest.remove(i);
                    }
                    reports.logs(rest.isEmpty() ? null : rest.get(0), lines);
                }
                default -> {
                    err.println("unknown command '" + args[0] + "'\n" + USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (StackException | IllegalArgumentException e) {
            err.println("\nerror: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("\nerror: " + e);
            return 1;
        }
    }

    private static boolean flag(List<String> args, String name) {
        return args.remove(name);
    }
}
