package io.paperwire.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both overlays render offline, hold every object the deployment needs, and every object passes the schema of its
 * kind: the Kubernetes API's, and the CRDs' of Strimzi, CloudNativePG, the Prometheus operator and KEDA (through the
 * kubernetes-models packages, pinned in toolchain/package-lock.json).
 */
class RenderAndSchemaTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theOverlayRendersEveryObjectOnce(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        Map<String, Integer> kinds = new TreeMap<>();
        for (JsonNode o : objects) {
            kinds.merge(o.path("apiVersion").asText() + "/" + o.path("kind").asText(), 1, Integer::sum);
            assertThat(o.path("metadata").path("namespace").asText())
                    .as("namespace of %s/%s", o.path("kind").asText(), o.path("metadata").path("name").asText()).isEqualTo("paperwire");
        }
        Map<String, Integer> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("apps/v1/Deployment", 3), Map.entry("v1/Service", 3), Map.entry("v1/ConfigMap", 4),
                Map.entry("policy/v1/PodDisruptionBudget", 3), Map.entry("autoscaling/v2/HorizontalPodAutoscaler", 1),
                Map.entry("keda.sh/v1alpha1/ScaledObject", 2), Map.entry("monitoring.coreos.com/v1/ServiceMonitor", 3),
                Map.entry("monitoring.coreos.com/v1/PodMonitor", 1), Map.entry("networking.k8s.io/v1/Ingress", 1),
                Map.entry("networking.k8s.io/v1/NetworkPolicy", 11),
                Map.entry("kafka.strimzi.io/v1/Kafka", 1), Map.entry("kafka.strimzi.io/v1/KafkaNodePool", 1),
                Map.entry("kafka.strimzi.io/v1/KafkaTopic", 3), Map.entry("kafka.strimzi.io/v1/KafkaUser", 4),
                Map.entry("postgresql.cnpg.io/v1/Cluster", 1), Map.entry("postgresql.cnpg.io/v1/Database", 2)));
        if (overlay.equals("production")) {
            expected.put("postgresql.cnpg.io/v1/ScheduledBackup", 1);
        }
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyObjectPassesTheSchemaOfItsKind(String overlay) throws Exception {
        Path check = Manifests.toolchain();
        String objects = Manifests.JSON.writeValueAsString(Manifests.render(overlay));
        String report = Manifests.runWithInput(check, 120, objects, "node", "validate.mjs");
        assertThat(report).contains("checked " + Manifests.render(overlay).size() + " objects, 0 problems");
    }

    /**
     * The negative controls of the strict pass: a misspelt field, a field the API version removed (Strimzi's v1
     * {@code Kafka} has no {@code spec.kafka.resources}; they belong to the node pool), a field on a CRD's nested object,
     * each one fails; a field the schema leaves open (the brokers' {@code config}) and a map's keys (labels) do not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void strictFieldValidationRejectsFieldsTheSchemaDoesNotDeclare(String overlay) throws Exception {
        Path check = Manifests.toolchain();
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode deployment = Manifests.ofKind(objects, "Deployment").get(0);
        ObjectNode container = (ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0);
        container.put("imagePullPolicyy", "Always");
        ObjectNode kafka = (ObjectNode) Manifests.named(objects, "Kafka", "paperwire").path("spec").path("kafka");
        kafka.putObject("resources").putObject("limits").put("memory", "2Gi");
        ((ObjectNode) kafka.path("config")).put("any.broker.setting", "accepted: the schema preserves unknown fields here");
        ((ObjectNode) deployment.path("metadata").path("labels")).put("any-label", "a map takes any key");
        ((ObjectNode) Manifests.ofKind(objects, "ServiceMonitor").get(0).path("spec").path("endpoints").get(0))
                .put("scrapeInterval", "30s");
        // Inside a CRD's oneOf alternatives (unions of intersections in the models): a misspelt env var source.
        ObjectNode env = ((ObjectNode) Manifests.named(objects, "KafkaNodePool", "nodes").path("spec").path("template"))
                .putObject("kafkaContainer").putArray("env").addObject();
        env.put("name", "EXTRA").put("value", "1").putObject("valeuFrom");
        AssertionError failed = Assertions.assertThrows(AssertionError.class,
                () -> Manifests.runWithInput(check, 120, Manifests.JSON.writeValueAsString(objects), "node", "validate.mjs"));
        String name = deployment.path("metadata").path("name").asText();
        assertThat(failed.getMessage())
                .contains("Deployment/" + name + ": spec.template.spec.containers[0].imagePullPolicyy: field not declared")
                .contains("Kafka/paperwire: spec.kafka.resources: field not declared")
                .contains(".spec.endpoints[0].scrapeInterval: field not declared".substring(1))
                .contains("KafkaNodePool/nodes: spec.template.kafkaContainer.env[0].valeuFrom: field not declared")
                .contains("4 problems")
                .doesNotContain("any.broker.setting").doesNotContain("any-label");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void aMissingRequiredFieldFailsTheSchemaCheck(String overlay) throws Exception {
        Path check = Manifests.toolchain();
        List<JsonNode> objects = Manifests.render(overlay);
        ((ObjectNode) Manifests.named(objects, "Kafka", "paperwire").path("spec").path("kafka")).remove("listeners");
        AssertionError failed = Assertions.assertThrows(AssertionError.class,
                () -> Manifests.runWithInput(check, 120, Manifests.JSON.writeValueAsString(objects), "node", "validate.mjs"));
        assertThat(failed.getMessage()).contains("Kafka/paperwire").contains("listeners");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theSchemaCheckCatchesAWrongObject(String overlay) throws Exception {
        Path check = Manifests.toolchain();
        List<JsonNode> objects = Manifests.render(overlay);
        ((ObjectNode) Manifests.ofKind(objects, "KafkaTopic").get(0).path("spec"))
                .put("partitions", "six");
        ((ObjectNode) Manifests.ofKind(objects, "Deployment").get(0).path("spec"))
                .put("replicas", "two");
        AssertionError failed = Assertions.assertThrows(AssertionError.class,
                () -> Manifests.runWithInput(check, 120, Manifests.JSON.writeValueAsString(objects), "node", "validate.mjs"));
        assertThat(failed.getMessage()).contains("partitions must be integer").contains("replicas must be integer");
    }

    /** The dead-letter Jobs render, pass the strict schema check, and run the tool as the dead-letter-tool user. */
    @ParameterizedTest
    @ValueSource(strings = {"jobs/list", "jobs/replay"})
    void theDeadLetterJobsPassTheSchemaCheck(String directory) throws Exception {
        List<JsonNode> objects = Manifests.renderDirectory(directory);
        assertThat(objects).hasSize(1);
        JsonNode job = objects.get(0);
        assertThat(job.path("metadata").path("namespace").asText()).isEqualTo("paperwire");
        String report = Manifests.runWithInput(Manifests.toolchain(), 120, Manifests.JSON.writeValueAsString(objects), "node", "validate.mjs");
        assertThat(report).contains("checked 1 objects, 0 problems");
        JsonNode container = job.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("command").toString()).contains("io.paperwire.dedup.tools.DeadLetterTool");
        assertThat(Manifests.home().resolve("dedup-service/src/main/java/io/paperwire/dedup/tools/DeadLetterTool.java")).exists();
        assertThat(container.path("args").get(0).asText()).isEqualTo(directory.substring("jobs/".length()));
        assertThat(container.path("env").toString()).contains("\"name\":\"dead-letter-tool\"");
        assertThat(job.path("spec").path("template").path("metadata").path("labels").path("paperwire.io/kafka-client").asText()).isEqualTo("true");
        List<JsonNode> production = Manifests.render("production");
        Manifests.named(production, "KafkaUser", "dead-letter-tool");
        assertThat(container.path("image").asText()).as("the Job runs the dedup-service the production overlay deploys")
                .isEqualTo(Manifests.named(production, "Deployment", "dedup-service").path("spec").path("template").path("spec")
                        .path("containers").get(0).path("image").asText());
    }

    /** deploy/monitoring (the PrometheusRule, the dashboard's ConfigMap) passes the same strict check. */
    @org.junit.jupiter.api.Test
    void theMonitoringPassesTheSchemaCheck() throws Exception {
        List<JsonNode> objects = Manifests.renderDirectory("../monitoring");
        assertThat(Manifests.ofKind(objects, "PrometheusRule")).hasSize(1);
        String report = Manifests.runWithInput(Manifests.toolchain(), 120, Manifests.JSON.writeValueAsString(objects), "node", "validate.mjs");
        assertThat(report).contains("checked " + objects.size() + " objects, 0 problems");
    }
}
