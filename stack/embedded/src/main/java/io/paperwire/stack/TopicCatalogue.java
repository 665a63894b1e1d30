package io.paperwire.stack;

import io.paperwire.events.topic.PaperTopic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Creates the topics of {@link PaperTopic} on a cluster, idempotently, and sets the catalogue's configuration on those
 * that exist already (a topic created by an older version keeps up with the catalogue, the DLQ's record limit say).
 */
public final class TopicCatalogue {

    private TopicCatalogue() {
    }

    /** Creates missing topics and aligns the configuration of existing ones; returns the names it created. */
    public static List<String> ensure(String bootstrapServers, short replicationFactor) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (PaperTopic t : PaperTopic.values()) {
                if (!existing.contains(t.topicName())) {
                    missing.add(new NewTopic(t.topicName(), t.partitions(), replicationFactor).configs(t.config()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            Map<ConfigResource, Collection<AlterConfigOp>> align = new HashMap<>();
            for (PaperTopic t : PaperTopic.values()) {
                if (existing.contains(t.topicName())) {
                    align.put(new ConfigResource(ConfigResource.Type.TOPIC, t.topicName()), t.config().entrySet().stream()
                            .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET)).toList());
                }
            }
            if (!align.isEmpty()) {
                admin.incrementalAlterConfigs(align).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException e) {
            throw new StackException("cannot create Paperwire's topics on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new StackException("cannot create Paperwire's topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }
}
