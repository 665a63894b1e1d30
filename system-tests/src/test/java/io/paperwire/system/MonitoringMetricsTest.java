package io.paperwire.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import io.paperwire.stack.Postgres;
import io.paperwire.testing.TestStack;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Grafana dashboard and the PrometheusRule alerts name is one the services really export: the three
 * services run from their packaged jars, a listing flows through all of them (and a source is polled), and their
 * live {@code /q/metrics} are compared with the names in {@code deploy/monitoring}.
 */
class MonitoringMetricsTest {

    private static final Logger KAFKA_LOG = DedupReplicasTest.quiet("org.apache.kafka");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "rate", "irate", "increase",
            "deriv", "delta", "histogram_quantile", "by", "without", "and", "or", "unless", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "abs", "topk", "bottomk", "time", "vector", "scalar", "clamp_min", "clamp_max",
            "__rate_interval", "namespace");

    @Test
    void everyMetricTheDashboardAndAlertsUseIsExportedByTheServices() throws Exception {
        Path home = Path.of(System.getProperty("paperwire-system.home", ".."));
        String bootstrap = TestStack.kafkaBootstrapServers();
        TestStack.Database db = TestStack.postgres();
        int smtpPort = TestStack.mail().smtpPort();
        String token = "system-test-token-" + UUID.randomUUID();

        // A listing page served like a source site, for ingest's poller (the freshness gauge is per polled source).
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] listing = Files.readAllBytes(home.resolve("samples/000_01ba4ec06044e9a5.txt"));
        site.createContext("/papers.txt", ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, listing.length);
            ex.getResponseBody().write(listing);
            ex.close();
        });
        site.start();
        Path sources = Files.createDirectories(Path.of("target", "system-tests")).resolve("sources-" + UUID.randomUUID() + ".properties");
        Files.writeString(sources, "paperwire.sources.site.kind=listing-text\npaperwire.sources.site.url=http://127.0.0.1:"
                + site.getAddress().getPort() + "/papers.txt\npaperwire.sources.site.interval=1h\n");

        List<ServiceProcess> services = new ArrayList<>();
        try {
            for (String svc : List.of("ingest", "dedup", "notify")) {
                String database = "paperwire_metrics_" + svc;
                String password = UUID.randomUUID().toString();
                Postgres.ensureDatabase(db.port(), database, "metrics_" + svc, password);
                Map<String, String> env = new HashMap<>(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                        "PAPERWIRE_DB_URL", Postgres.jdbcUrl(db.port(), database),
                        "PAPERWIRE_DB_USER", "metrics_" + svc,
                        "PAPERWIRE_DB_PASSWORD", password,
                        "PAPERWIRE_API_TOKEN", token,
                        "PAPERWIRE_SMTP_HOST", "127.0.0.1",
                        "PAPERWIRE_SMTP_PORT", String.valueOf(smtpPort),
                        "PAPERWIRE_LINK_SECRET", "system-test-link-secret-" + UUID.randomUUID()));
                if (svc.equals("ingest")) {
                    env.put("QUARKUS_CONFIG_LOCATIONS", sources.toAbsolutePath().toString());
                }
                // Its own consumer groups, so that other tests' services in this JVM's broker do not share partitions.
                List<String> props = switch (svc) {
                    case "dedup" -> List.of("-Dmp.messaging.incoming.sightings-in.group.id=metrics-dedup-" + UUID.randomUUID());
                    case "notify" -> List.of("-Dmp.messaging.incoming.consolidated-in.group.id=metrics-notify-" + UUID.randomUUID());
                    // The completeness report (and its shortfall gauges) every two seconds, not every minute.
                    case "ingest" -> List.of("-Dpaperwire.ingest.completeness.refresh=2s");
                    default -> List.of();
                };
                services.add(ServiceProcess.start(svc, svc + "-service", env, props));
            }
            for (ServiceProcess s : services) {
                s.awaitReady(Duration.ofSeconds(120));
            }
            Set<String> needed = new TreeSet<>();
            needed.addAll(dashboardMetrics(home.resolve("deploy/monitoring/paperwire-dashboard.json")));
            needed.addAll(alertMetrics(home.resolve("deploy/monitoring/prometheus-rules.yaml")));
            assertThat(needed).as("names found in the dashboard and alerts").hasSizeGreaterThan(10);
            // Names from exporters that cannot run here (Kafka Exporter, CloudNativePG, the kubelet), listed with their
            // source; and the brokers' JMX metrics, from a real broker running the exporter agent with our rules.
            Map<String, String> listed = exporterMetrics(home.resolve("deploy/monitoring/exporter-metrics.txt"));
            Set<String> broker = BrokerMetrics.namesUnderDeploymentRules(home);
            assertThat(broker).as("the broker's metrics under the deployment's JMX rules")
                    .contains("kafka_server_replicamanager_underreplicatedpartitions");
            Set<String> misfiled = new TreeSet<>(listed.keySet());
            misfiled.retainAll(broker);
            assertThat(misfiled).as("listed as an exporter's, but the broker exports them").isEmpty();
            needed.removeAll(broker);
            needed.removeAll(listed.keySet());

            // The polled listing flows through ingest, dedup and notify; then every name must be exported by someone.
            Set<String> exported = new TreeSet<>();
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    exported.clear();
                    for (ServiceProcess s : services) {
                        exported.addAll(metricNames(s));
                    }
                    return exported.containsAll(needed);
                });
            } catch (ConditionTimeoutException e) {
                // reported below, with the names that are missing
            }
            Set<String> missing = new TreeSet<>(needed);
            missing.removeAll(exported);
            assertThat(missing).as("metrics named in deploy/monitoring that no service exports").isEmpty();
            misfiled = new TreeSet<>(listed.keySet());
            misfiled.retainAll(exported);
            assertThat(misfiled).as("listed as an exporter's, but a service exports them").isEmpty();
        } finally {
            for (ServiceProcess s : services) {
                s.close();
            }
            site.stop(0);
        }
    }

    @Test
    void metricNamesAreReadOutOfPromQl() {
        assertThat(metricsIn("histogram_quantile(0.99, sum by (le, job) (rate(a_seconds_bucket{job=\"x\", topic=~\"paper.*\"}[5m])))"
                + " > 2 and on (job) max(b_total) or up{job=~\"y|z\"} == 0")).containsExactlyInAnyOrder("a_seconds_bucket", "b_total", "up");
    }

    /** Every alert has a severity and an absolute runbook_url into docs/operations.md, whose section exists. */
    @Test
    void everyAlertLinksARunbookSectionThatExists() throws Exception {
        Path home = Path.of(System.getProperty("paperwire-system.home", ".."));
        String runbook = Files.readString(home.resolve("docs/operations.md"));
        Set<String> anchors = new TreeSet<>();
        for (String line : runbook.split("\n")) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+\\s*", "").toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-'));
            }
        }
        int alerts = 0;
        for (JsonNode group : new YAMLMapper().readTree(home.resolve("deploy/monitoring/prometheus-rules.yaml").toFile()).path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                alerts++;
                assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("info", "warning", "critical");
                String url = rule.path("annotations").path("runbook_url").asText();
                assertThat(url).as(name).startsWith("https://github.com/paperwire/paperwire/blob/main/docs/operations.md#");
                assertThat(anchors).as(name + " links " + url).contains(url.substring(url.indexOf('#') + 1));
                assertThat(rule.path("annotations").has("runbook")).as(name + ": runbook_url, not runbook").isFalse();
            }
        }
        assertThat(alerts).isGreaterThan(15);
    }

    /** Every panel is scoped to the chosen namespace and takes its rate windows from Grafana ($__rate_interval). */
    @Test
    void theDashboardFollowsTheNamespaceVariableAndRateInterval() throws Exception {
        Path home = Path.of(System.getProperty("paperwire-system.home", ".."));
        JsonNode dashboard = new ObjectMapper().readTree(home.resolve("deploy/monitoring/paperwire-dashboard.json").toFile());
        assertThat(dashboard.path("templating").path("list").findValuesAsText("name")).contains("datasource", "namespace");
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                for (String metric : metricsIn(expr)) {
                    assertThat(expr).as(panel.path("title").asText()).containsPattern(Pattern.quote(metric) + "\\{namespace=\"\\$namespace\"");
                }
                assertThat(expr).as(panel.path("title").asText()).doesNotContainPattern("rate\\([^\\[]*\\[\\d+m\\]");
            }
        }
    }

    static Map<String, String> exporterMetrics(Path file) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t");
                out.put(f[0].strip(), f[1].strip());
            }
        }
        return out;
    }

    static Set<String> metricNames(ServiceProcess s) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.managementPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return namesIn(r.body());
    }

    /** The series names of a Prometheus text exposition. */
    static Set<String> namesIn(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int cut = line.indexOf('{');
                names.add((cut > 0 ? line.substring(0, cut) : line.substring(0, line.indexOf(' '))).strip());
            }
        }
        return names;
    }

    static Set<String> dashboardMetrics(Path dashboard) throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : new ObjectMapper().readTree(dashboard.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                names.addAll(metricsIn(target.path("expr").asText()));
            }
        }
        return names;
    }

    static Set<String> alertMetrics(Path rules) throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : new YAMLMapper().readTree(rules.toFile()).path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                names.addAll(metricsIn(rule.path("expr").asText()));
            }
        }
        return names;
    }

    /** The metric names in a PromQL expression: identifiers that are not functions, keywords or label names. */
    static Set<String> metricsIn(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")           // string literals
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")  // label lists
                .replaceAll("\\b[a-zA-Z_][a-zA-Z0-9_]*\\s*(=~|!~|!=|=)", " ");  // label matchers
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(s);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }
}
