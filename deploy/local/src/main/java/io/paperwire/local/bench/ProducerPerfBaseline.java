package io.paperwire.local.bench;

import io.paperwire.local.Processes;
import io.paperwire.stack.KafkaBroker;
import io.paperwire.stack.StackException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** The ingest scenario's ceiling: Kafka's own producer performance tool on the same broker. */
final class ProducerPerfBaseline extends BenchPart {

    ProducerPerfBaseline(Context context) {
        super(context);
    }

    /** What the producer tool measured: all its records, and the steady state after its warm-up records. */
    record Rate(double overall, double steady, int warmup) {
    }

    /**
     * Kafka's own ProducerPerformance on the same broker: records of the same size, acks=all, idempotent. Its first
     * tenth (at most 100,000 records) is a warm-up it reports apart, as ingest's warm-up round is not measured either.
     */
    Rate run(int n, int recordSize) throws Exception {
        String topic = "bench.producer-perf." + run + "-" + n;
        // The same shape as paper.sightings.v1 (6 partitions); the broker does not create topics on its own.
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        int warmup = Math.min(n / 10, 100_000);
        List<String> cmd = List.of(Processes.javaExecutable(), "-Xmx512m", "-cp", KafkaBroker.classpath(),
                "org.apache.kafka.tools.ProducerPerformance", "--topic", topic, "--num-records", String.valueOf(n + warmup),
                "--warmup-records", String.valueOf(warmup), "--record-size", String.valueOf(recordSize), "--throughput", "-1",
                "--command-property", "bootstrap.servers=" + config.bootstrapServers(), "acks=all", "enable.idempotence=true",
                "linger.ms=20", "batch.size=131072");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.MINUTES);
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        double overall = lastRate(Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec"), text);
        double steady = lastRate(Pattern.compile("(\\d+) steady state records sent, ([\\d.]+) records/sec"), text);
        if (Double.isNaN(overall) || Double.isNaN(steady)) {
            throw new StackException("ProducerPerformance printed no result:\n" + text);
        }
        return new Rate(overall, steady, warmup);
    }

    private static double lastRate(Pattern line, String text) {
        Matcher m = line.matcher(text);
        double last = Double.NaN;
        while (m.find()) {
            last = Double.parseDouble(m.group(2));
        }
        return last;
    }
}
