package io.paperwire.system;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.paperwire.stack.KafkaBroker;
import io.paperwire.stack.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a Strimzi broker exports to Prometheus under the deployment's rules: a real broker runs the Prometheus JMX
 * exporter agent (the one Strimzi runs) with the rules of {@code deploy/kubernetes/base/kafka/metrics.yaml}, takes
 * some traffic, and its scrape is read.
 */
final class BrokerMetrics {

    private BrokerMetrics() {
    }

    static Set<String> namesUnderDeploymentRules(Path home) throws Exception {
        Path agent = Path.of("target", "agents", "jmx_prometheus_javaagent.jar").toAbsolutePath();
        if (!Files.exists(agent)) {
            throw new AssertionError(agent + " is missing: maven-dependency-plugin copies it in generate-test-resources");
        }
        String rules = new YAMLMapper().readTree(home.resolve("deploy/kubernetes/base/kafka/metrics.yaml").toFile())
                .path("data").path("kafka-metrics-config.yml").asText();
        if (rules.isBlank()) {
            throw new AssertionError("no kafka-metrics-config.yml in the first document of metrics.yaml");
        }
        Path dir = Files.createDirectories(Path.of("target", "system-tests", "broker-metrics-" + UUID.randomUUID()));
        Path rulesFile = Files.writeString(dir.resolve("kafka-metrics-config.yml"), rules);
        int port;
        int metricsPort;
        try (Ports.Reservation ports = Ports.reserve()) {
            port = ports.pair();
            metricsPort = ports.one();
        }
        KafkaBroker broker = KafkaBroker.startWith(dir.resolve("kafka"), port, port + 1, dir.resolve("kafka.log"), Duration.ofSeconds(120),
                List.of("-javaagent:" + agent + "=127.0.0.1:" + metricsPort + ":" + rulesFile.toAbsolutePath()));
        try {
            // Traffic, so that the per-topic rates exist.
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("paper.sightings.v1", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("paper.sightings.v1", "k", "v")).get(30, TimeUnit.SECONDS);
            }
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (scrape.statusCode() != 200) {
                throw new AssertionError("the exporter agent answered " + scrape.statusCode());
            }
            return MonitoringMetricsTest.namesIn(scrape.body());
        } finally {
            broker.close();
        }
    }
}
