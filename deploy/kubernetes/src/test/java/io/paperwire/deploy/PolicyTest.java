package io.paperwire.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a platform team checks before accepting manifests, on both rendered overlays. */
class PolicyTest {

    private static final Pattern SECRETISH = Pattern.compile("(?i).*(password|secret|token|jaas|credential|private[_-]?key).*");

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceRunsHardenedWithProbesAndLimits(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        for (JsonNode d : Manifests.ofKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            assertThat(d.path("spec").path("strategy").path("type").asText()).as(name).isEqualTo("RollingUpdate");
            JsonNode pod = d.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name + " pod runAsNonRoot").isTrue();
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(name + " service account token").isFalse();
            for (JsonNode c : pod.path("containers")) {
                String where = name + "/" + c.path("name").asText();
                assertThat(c.path("image").asText()).as(where + " image has a tag").contains(":");
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    assertThat(c.path(probe).path("httpGet").path("path").asText()).as(where + " " + probe).startsWith("/q/health/");
                    assertThat(c.path(probe).path("httpGet").path("port").asText()).as(where + " " + probe + " on the management port")
                            .isEqualTo("management");
                }
                // The management port is the one the service really serves health on: enabled in its build, and the
                // port its ConfigMap gives it is the container's port named management.
                String service = name.replace("-service", "") + "-service";
                assertThat(Manifests.serviceConfig(service).getProperty("quarkus.management.enabled")).as(service).isEqualTo("true");
                String configured = Manifests.named(objects, "ConfigMap", name + "-config").path("data").path("QUARKUS_MANAGEMENT_PORT").asText();
                List<String> managementPorts = new ArrayList<>();
                c.path("ports").forEach(p -> {
                    if (p.path("name").asText().equals("management")) {
                        managementPorts.add(p.path("containerPort").asText());
                    }
                });
                assertThat(managementPorts).as(where + " management port").containsExactly(configured);
                assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
                assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
                for (String r : List.of("cpu", "memory")) {
                    assertThat(c.path("resources").path("requests").path(r).isMissingNode()).as(where + " requests " + r).isFalse();
                }
                assertThat(c.path("resources").path("limits").path("memory").isMissingNode()).as(where + " memory limit").isFalse();
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(where + " read-only root").isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as(where + " privilege escalation").isFalse();
                assertThat(sc.path("capabilities").path("drop").toString()).as(where + " capabilities").contains("\"ALL\"");
                assertThat(sc.path("privileged").asBoolean(false)).isFalse();
                for (JsonNode env : c.path("env")) {
                    if (SECRETISH.matcher(env.path("name").asText()).matches()) {
                        assertThat(env.has("value")).as(where + " " + env.path("name").asText() + " must come from a Secret").isFalse();
                        assertThat(env.path("valueFrom").has("secretKeyRef")).as(where + " " + env.path("name").asText()).isTrue();
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void noSecretValuesAreShipped(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        assertThat(Manifests.ofKind(objects, "Secret")).as("Secrets are referenced, never shipped").isEmpty();
        for (JsonNode cm : Manifests.ofKind(objects, "ConfigMap")) {
            cm.path("data").fieldNames().forEachRemaining(k ->
                    assertThat(SECRETISH.matcher(k).matches()).as("ConfigMap key %s looks like a secret", k).isFalse());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceHasItsServiceBudgetMonitorAndAutoscaler(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        for (JsonNode d : Manifests.ofKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            Manifests.named(objects, "Service", name);
            Manifests.named(objects, "PodDisruptionBudget", name);
            JsonNode monitor = Manifests.named(objects, "ServiceMonitor", name);
            assertThat(monitor.path("spec").path("endpoints").get(0).path("path").asText()).isEqualTo("/q/metrics");
            assertThat(monitor.path("spec").path("endpoints").get(0).path("port").asText()).as(name + " scraped on management").isEqualTo("management");
            List<String> scalers = new ArrayList<>();
            Manifests.ofKind(objects, "HorizontalPodAutoscaler").stream()
                    .filter(h -> name.equals(h.path("spec").path("scaleTargetRef").path("name").asText())).forEach(h -> scalers.add("hpa"));
            Manifests.ofKind(objects, "ScaledObject").stream()
                    .filter(h -> name.equals(h.path("spec").path("scaleTargetRef").path("name").asText())).forEach(h -> scalers.add("keda"));
            assertThat(scalers).as(name + " autoscaling").hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void sizesFitTheOverlay(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        boolean production = overlay.equals("production");
        assertThat(Manifests.named(objects, "KafkaNodePool", "nodes").path("spec").path("replicas").asInt()).isEqualTo(production ? 3 : 1);
        assertThat(Manifests.named(objects, "Cluster", "paperwire-db").path("spec").path("instances").asInt()).isEqualTo(production ? 3 : 1);
        JsonNode kafkaConfig = Manifests.named(objects, "Kafka", "paperwire").path("spec").path("kafka").path("config");
        assertThat(kafkaConfig.path("min.insync.replicas").asInt()).isEqualTo(production ? 2 : 1);
        assertThat(kafkaConfig.path("default.replication.factor").asInt()).isEqualTo(production ? 3 : 1);
        for (JsonNode t : Manifests.ofKind(objects, "KafkaTopic")) {
            assertThat(t.path("spec").path("replicas").asInt()).isEqualTo(production ? 3 : 1);
            assertThat(t.path("spec").path("config").path("min.insync.replicas").asInt()).isEqualTo(production ? 2 : 1);
        }
        for (JsonNode d : Manifests.ofKind(objects, "Deployment")) {
            assertThat(d.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText())
                    .startsWith(production ? "ghcr.io/paperwire/" : "paperwire/").endsWith(production ? ":0.1.0" : ":local");
        }
        // TLS and SCRAM to the brokers.
        JsonNode listener = Manifests.named(objects, "Kafka", "paperwire").path("spec").path("kafka").path("listeners").get(0);
        assertThat(listener.path("tls").asBoolean()).isTrue();
        assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
    }

    /**
     * The site is exposed, the rest is not: the Ingress routes notify's pages, feeds and subscription links only
     * (never /api, /q or the management port), on the host of notify's configured base URL, with TLS from
     * cert-manager in production.
     */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void onlyTheSiteIsExposed(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        assertThat(Manifests.ofKind(objects, "Ingress")).hasSize(1);
        JsonNode ingress = Manifests.named(objects, "Ingress", "notify-service");
        String baseUrl = Manifests.named(objects, "ConfigMap", "notify-service-config").path("data").path("PAPERWIRE_NOTIFY_BASE_URL").asText();
        JsonNode rule = ingress.path("spec").path("rules").get(0);
        assertThat(rule.path("host").asText()).isEqualTo(java.net.URI.create(baseUrl).getHost());
        List<String> paths = new ArrayList<>();
        for (JsonNode p : rule.path("http").path("paths")) {
            paths.add(p.path("path").asText());
            assertThat(p.path("backend").path("service").path("name").asText()).isEqualTo("notify-service");
            assertThat(p.path("backend").path("service").path("port").path("name").asText()).isEqualTo("http");
        }
        // The public subscriptions API (subscribe, preview, manage links in mails and webhook answers) is the site's;
        // the operator APIs and /q are not.
        assertThat(paths).contains("/", "/search", "/papers", "/feeds", "/assets", "/subscribe", "/subscriptions",
                "/api/v1/subscriptions").noneMatch(p -> p.startsWith("/q") || (p.startsWith("/api") && !p.equals("/api/v1/subscriptions")));
        // Behind the controller the client is the right-most untrusted X-Forwarded-For hop: the rate limits need it.
        JsonNode notifyConfig = Manifests.named(objects, "ConfigMap", "notify-service-config").path("data");
        assertThat(notifyConfig.path("PAPERWIRE_TRUSTED_PROXIES").asText()).as("notify trusts the ingress controller").contains("10.0.0.0/8");
        // A one-address header the controller overwrites, not X-Forwarded-For, whose left part the client writes.
        assertThat(notifyConfig.path("PAPERWIRE_NOTIFY_RATE_LIMIT_CLIENT_ADDRESS_HEADER").asText()).isEqualTo("X-Real-IP");
        assertThat(rule.path("http").path("paths").get(0).path("pathType").asText()).as("/ alone, not a prefix of everything").isEqualTo("Exact");
        if (overlay.equals("production")) {
            assertThat(baseUrl).startsWith("https://");
            assertThat(ingress.path("spec").path("tls").get(0).path("hosts").toString()).contains(rule.path("host").asText());
            assertThat(ingress.path("metadata").path("annotations").path("cert-manager.io/cluster-issuer").asText()).isNotBlank();
        }
    }

    /** KEDA scales each consumer on the lag of its own consumer group and topic, as its application.properties names them. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theScalersReadTheConsumersOwnGroupAndTopic(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        for (String[] c : List.of(new String[] {"dedup-service", "sightings-in"}, new String[] {"notify-service", "consolidated-in"})) {
            var config = Manifests.serviceConfig(c[0]);
            String group = config.getProperty("mp.messaging.incoming." + c[1] + ".group.id");
            String topic = config.getProperty("mp.messaging.incoming." + c[1] + ".topic");
            String query = Manifests.named(objects, "ScaledObject", c[0]).path("spec").path("triggers").get(0).path("metadata").path("query").asText();
            assertThat(query).as(c[0]).contains("kafka_consumergroup_lag").contains("consumergroup=\"" + group + "\"")
                    .contains("topic=\"" + topic + "\"");
        }
    }

    /** PostgreSQL is restorable in production (object store, nightly backup) and its image is pinned everywhere. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void postgresIsPinnedAndBackedUpInProduction(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode cluster = Manifests.named(objects, "Cluster", "paperwire-db").path("spec");
        assertThat(cluster.path("imageName").asText()).matches("ghcr\\.io/cloudnative-pg/postgresql:15\\.\\d+");
        if (overlay.equals("production")) {
            assertThat(cluster.path("backup").path("barmanObjectStore").path("destinationPath").asText()).startsWith("s3://");
            assertThat(cluster.path("backup").path("retentionPolicy").asText()).isEqualTo("30d");
            JsonNode scheduled = Manifests.ofKind(objects, "ScheduledBackup").get(0).path("spec");
            assertThat(scheduled.path("cluster").path("name").asText()).isEqualTo("paperwire-db");
            assertThat(scheduled.path("method").asText()).isEqualTo("barmanObjectStore");
        } else {
            assertThat(cluster.has("backup")).isFalse();
            assertThat(Manifests.ofKind(objects, "ScheduledBackup")).isEmpty();
        }
    }

    /** Tracing is on in production (every service exports to the collector the NetworkPolicy admits) and off locally. */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void tracingIsOnInProductionOnly(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        for (String svc : List.of("ingest-service", "dedup-service", "notify-service")) {
            JsonNode data = Manifests.named(objects, "ConfigMap", svc + "-config").path("data");
            assertThat(Manifests.serviceConfig(svc).getProperty("quarkus.otel.sdk.disabled")).as(svc + " off by default").isEqualTo("true");
            if (overlay.equals("production")) {
                assertThat(data.path("QUARKUS_OTEL_SDK_DISABLED").asText()).as(svc).isEqualTo("false");
                assertThat(data.path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText()).as(svc).matches("http://[^/]+\\.observability\\.svc:4317");
            } else {
                assertThat(data.has("QUARKUS_OTEL_SDK_DISABLED")).as(svc).isFalse();
            }
        }
    }
}
