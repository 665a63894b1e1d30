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
                }
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
}
