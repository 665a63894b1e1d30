package io.paperwire.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paperwire.events.topic.PaperTopic;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The KafkaTopics are the topic catalogue of paper-events, and each KafkaUser allows exactly what its service's
 * channels use: Read and Describe on the topics it consumes with Read on its group, Write and Describe on the topics
 * it produces to. Read from the services' own application.properties, so a new channel without a new ACL fails here.
 */
class TopicsAndUsersTest {

    @Test
    void kafkaTopicsAreTheTopicCatalogue() throws Exception {
        List<JsonNode> objects = Manifests.render("production");
        Map<String, JsonNode> topics = new TreeMap<>();
        Manifests.ofKind(objects, "KafkaTopic").forEach(t -> topics.put(t.path("spec").path("topicName").asText(), t));
        assertThat(topics.keySet()).containsExactlyInAnyOrder(
                Arrays.stream(PaperTopic.values()).map(PaperTopic::topicName).toArray(String[]::new));
        for (PaperTopic t : PaperTopic.values()) {
            JsonNode spec = topics.get(t.topicName()).path("spec");
            assertThat(spec.path("partitions").asInt()).as(t.topicName()).isEqualTo(t.partitions());
            t.config().forEach((key, value) -> {
                if (!key.equals("min.insync.replicas")) { // the catalogue's is for one local broker
                    assertThat(spec.path("config").path(key).asText()).as(t.topicName() + " " + key).isEqualTo(value);
                }
            });
        }
    }

    @Test
    void everyKafkaUserAllowsExactlyItsServicesTopicsAndGroup() throws Exception {
        List<JsonNode> objects = Manifests.render("production");
        for (String service : List.of("ingest-service", "dedup-service", "notify-service")) {
            Set<String> expected = new TreeSet<>();
            Properties p = Manifests.serviceConfig(service);
            for (String key : p.stringPropertyNames()) {
                String[] parts = key.split("\\.");
                if (parts.length == 5 && parts[0].equals("mp") && parts[1].equals("messaging") && parts[4].equals("topic")) {
                    String topic = p.getProperty(key);
                    if (parts[2].equals("incoming")) {
                        expected.add("topic " + topic + " Read");
                        expected.add("topic " + topic + " Describe");
                        expected.add("group " + p.getProperty("mp.messaging.incoming." + parts[3] + ".group.id") + " Read");
                    } else {
                        expected.add("topic " + topic + " Write");
                        expected.add("topic " + topic + " Describe");
                    }
                }
            }
            assertThat(expected).as(service + " uses Kafka").isNotEmpty();
            Set<String> allowed = new TreeSet<>();
            JsonNode user = Manifests.named(objects, "KafkaUser", service);
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                assertThat(acl.path("resource").path("patternType").asText()).as("no prefix or wildcard grants").isEqualTo("literal");
                for (JsonNode op : acl.path("operations")) {
                    allowed.add(acl.path("resource").path("type").asText() + " " + acl.path("resource").path("name").asText() + " " + op.asText());
                }
            }
            assertThat(allowed).as(service + " ACLs").isEqualTo(expected);
            // The Deployment reads its SCRAM credentials from the Secret Strimzi writes for this user.
            JsonNode container = Manifests.named(objects, "Deployment", service).path("spec").path("template").path("spec")
                    .path("containers").get(0);
            assertThat(container.path("env").toString()).contains("\"name\":\"" + service + "\"").contains("sasl.jaas.config");
        }
    }
}
