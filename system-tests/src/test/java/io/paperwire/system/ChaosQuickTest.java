package io.paperwire.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.testing.Harness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paperwire chaos --quick} on a local stack of its own, exactly as a user runs it: every fault injected once
 * into real processes (kill -9 of each service, a second replica and the broker, PostgreSQL shut down immediately,
 * pauses past the session time-out, a partition from the broker) while a known workload runs. The checker's counts
 * are the assertions: nothing acknowledged lost or counted twice, no phantom paper, no digest missing, and the stack
 * whole again after every fault.
 */
class ChaosQuickTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void everyFaultOnceAndNothingIsLostDoubledInventedOrMissing() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PAPERWIRE_STATE_DIR", state.toString());
        env.putAll(Harness.stackPorts("POSTGRES", "SMTP", "MAIL_API", "INGEST", "DEDUP", "NOTIFY", "DEDUP_2", "NOTIFY_2"));
        long seed = new Random().nextInt(100_000);
        LauncherRun run;
        try {
            run = launcher(env, 1500, "chaos", "--quick", "--seed", Long.toString(seed));
        } finally {
            launcher(env, 300, "down"); // not --purge: the report is in the state directory (a temporary one)
        }
        JsonNode report;
        try (Stream<Path> files = Files.list(state.resolve("chaos"))) {
            Path file = files.filter(f -> f.toString().endsWith(".json")).findFirst()
                    .orElseThrow(() -> new AssertionError("no report; the run said:\n" + run.output()));
            report = JSON.readTree(file.toFile());
        }
        String output = run.output();
        String context = "seed " + seed + "; examples: " + report.path("examples") + "\n" + output;
        assertThat(run.exitCode()).as(context).isZero();

        assertThat(report.path("settled").asBoolean()).as(context).isTrue();
        assertThat(report.path("documentsRefused")).as(context).isEmpty();
        assertThat(report.path("subscribersNotConfirmed")).as(context).isEmpty();
        JsonNode sightings = report.path("sightings");
        assertThat(sightings.path("acknowledged").asLong()).as(context).isPositive();
        assertThat(sightings.path("lost").asLong()).as(context).isZero();
        assertThat(sightings.path("countedTwice").asLong()).as(context).isZero();
        JsonNode papers = report.path("papers");
        assertThat(papers.path("mergedAway").asLong()).as("the workload merged papers: " + context).isPositive();
        for (String zero : List.of("split", "phantomsOnTopic", "phantomsInReadModel", "staleOnTopic", "mergedButLiveOnTopic",
                "mergesNotAnnounced", "staleInReadModel", "apiDisagrees")) {
            assertThat(papers.path(zero).asLong()).as(zero + "; " + context).isZero();
        }
        for (String channel : List.of("digests", "webhooks")) {
            JsonNode d = report.path(channel);
            assertThat(d.path("expected").asLong()).as(channel + "; " + context).isPositive();
            assertThat(d.path("missing").asLong()).as(channel + "; " + context).isZero();
            assertThat(d.path("misaddressed").asLong()).as(channel + "; " + context).isZero();
        }
        assertThat(report.path("digests").path("withAnotherMessageId").asLong()).as(context).isZero();
        assertThat(report.path("webhooks").path("withAnotherDeliveryId").asLong()).as(context).isZero();

        List<String> injected = new ArrayList<>();
        long killedMidDelivery = 0;
        for (JsonNode f : report.path("faults")) {
            assertThat(f.path("recoverySeconds").isNumber()).as(f + " " + context).isTrue();
            injected.add(f.path("fault").asText());
            if (f.path("fault").asText().startsWith("kill-dedup")) {
                assertThat(f.path("detail").asText()).as("killed with work in hand").contains("in hand");
            }
            killedMidDelivery += f.path("detail").asText().contains("while it delivered") ? 1 : 0;
        }
        // A sender killed mid-delivery left the outcome unknown: the digest went again, under the same delivery id.
        assertThat(report.path("webhooks").path("extraCopiesWithTheSameDeliveryId").asLong()).as(context)
                .isGreaterThanOrEqualTo(killedMidDelivery);
        List<String> skipped = new ArrayList<>();
        report.path("faultsSkipped").forEach(s -> skipped.add(s.asText().split(":")[0]));
        assertThat(injected).as("every fault once, unless this machine cannot inject it").hasSize(10 - skipped.size())
                .doesNotHaveDuplicates().contains("kill-dedup", "kill-kafka", "restart-postgres", "kill-notify", "pause-kafka");
        assertThat(report.path("violations").asLong()).as(context).isZero();
        // While the broker or the database was down, ingest said so (503, retry) rather than failing as if with a bug.
        assertThat(report.path("ingestRetries").has("HTTP 500")).as(report.path("ingestRetries").toString()).isFalse();
        assertThat(output).contains("Every guarantee held.");
    }

    private record LauncherRun(int exitCode, String output) {
    }

    /** The launcher as deploy/local/paperwire runs it, with this test's environment only (not the caller's). */
    private static LauncherRun launcher(Map<String, String> env, int timeoutSeconds, String... args) throws Exception {
        Path local = REPO.resolve("deploy/local/target");
        String cp = local.resolve("classes") + ":" + Files.readString(local.resolve("launcher.classpath")).strip();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dpaperwire.home=" + REPO, "-cp", cp, "io.paperwire.local.Launcher"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("paperwire-chaos", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            Harness.isolate(pb.environment(), env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", args) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new LauncherRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
