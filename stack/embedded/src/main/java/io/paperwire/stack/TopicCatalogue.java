package io.paperwire.stack;

import io.paperwire.events.topic.PaperTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the topics of {@link PaperTopic} on a cluster, idempotently, and reports any that differ. */
public final class TopicCatalogue {

    private TopicCatalogue() {
    }

    /** Creates missing topics; returns the names it created. Existing topics are left as they are. */
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
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException e) {
            throw new StackException("cannot create Paperwire's topics on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw new StackException("cannot create Paperwire's topics on " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }
}
