package io.paperwire.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.stack.PartProcesses;
import io.paperwire.stack.StackException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What an operator looks at: topics with offsets and consumer lag, received mail, and logs. */
final class Reports {

    private final LocalConfig config;
    private final PrintStream out;

    Reports(LocalConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Each topic with partitions and end offsets, then each consumer group's lag per topic. */
    void topics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            Set<String> names = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            Map<String, TopicDescription> topics = new TreeMap<>(admin.describeTopics(names).allTopicNames().get(15, TimeUnit.SECONDS));
            Map<TopicPartition, Long> ends = endOffsets(admin, topics.values());
            out.printf("%-28s %10s %12s   %s%n", "TOPIC", "PARTITIONS", "END OFFSETS", "PER PARTITION");
            for (TopicDescription t : topics.values()) {
                List<Long> per = t.partitions().stream().map(p -> ends.get(new TopicPartition(t.name(), p.partition()))).toList();
                out.printf("%-28s %10d %12d   %s%n", t.name(), per.size(), per.stream().mapToLong(Long::longValue).sum(),
                        per.stream().map(String::valueOf).collect(Collectors.joining(" ")));
            }
            out.println();
            Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get(15, TimeUnit.SECONDS);
            out.printf("%-28s %-28s %10s %10s%n", "CONSUMER GROUP", "TOPIC", "COMMITTED", "LAG");
            if (groups.isEmpty()) {
                out.println("(no consumer groups yet)");
            }
            for (ConsumerGroupListing g : groups.stream().sorted((a, b) -> a.groupId().compareTo(b.groupId())).toList()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.groupId())
                        .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
                Map<String, long[]> perTopic = new TreeMap<>();
                committed.forEach((tp, om) -> {
                    if (om == null) {
                        return;
                    }
                    long[] acc = perTopic.computeIfAbsent(tp.topic(), k -> new long[2]);
                    acc[0] += om.offset();
                    acc[1] += Math.max(0, ends.getOrDefault(tp, om.offset()) - om.offset());
                });
                if (perTopic.isEmpty()) {
                    // A member has joined but the first offset commit (every few seconds) has not happened yet.
                    out.printf("%-28s %-28s %10s %10s%n", g.groupId(), "(nothing committed yet)", "-", "-");
                }
                perTopic.forEach((topic, acc) -> out.printf("%-28s %-28s %10d %10d%n", g.groupId(), topic, acc[0], acc[1]));
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<TopicDescription> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        topics.forEach(t -> t.partitions().forEach(p -> request.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> info = admin.listOffsets(request).all().get(15, TimeUnit.SECONDS);
        Map<TopicPartition, Long> ends = new HashMap<>();
        info.forEach((tp, i) -> ends.put(tp, i.offset()));
        return ends;
    }

    /** The messages the local SMTP server received (optionally only those to {@code address}). */
    void mail(boolean asJson, String address) throws IOException, InterruptedException {
        String url = config.mailApiUrl() + "/messages" + (address == null ? "" : "?to=" + URLEncoder.encode(address, StandardCharsets.UTF_8));
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StackException("the local SMTP server's mail API does not answer at " + config.mailApiUrl()
                    + ": is the stack up? (deploy/local/paperwire status)", e);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode messages = json.readTree(r.body());
        if (asJson) {
            ArrayNode outArray = json.createArrayNode();
            for (JsonNode m : messages) {
                ObjectNode o = outArray.addObject();
                for (String f : List.of("to", "subject", "headers", "text", "html")) {
                    o.set(f, m.get(f));
                }
            }
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(outArray));
            return;
        }
        if (messages.isEmpty()) {
            out.println("No mail received" + (address == null ? "." : " for " + address + "."));
            return;
        }
        out.printf("%-36s %s%n", "TO", "SUBJECT");
        for (JsonNode m : messages) {
            out.printf("%-36s %s%n", m.path("to").asText(), m.path("subject").asText());
        }
        out.println(messages.size() + " message(s). Full content: deploy/local/paperwire mail --json");
    }

    /** Without a name, where each part logs; with one, the tail of its log. */
    void logs(String name, int lines) throws IOException {
        if (name == null) {
            for (Part p : Part.values()) {
                Path log = config.logs().resolve(p.id + ".log");
                out.printf("%-10s %s%s%n", p.id, log, Files.exists(log) ? "  (" + Files.size(log) / 1024 + " KB)" : "  (none yet)");
            }
            return;
        }
        Part part = Arrays.stream(Part.values()).filter(p -> p.id.equals(name)).findFirst()
                .orElseThrow(() -> new StackException("no part named '" + name + "'; parts: "
                        + Arrays.stream(Part.values()).map(p -> p.id).toList()));
        Path log = config.logs().resolve(part.id + ".log");
        if (!Files.exists(log)) {
            throw new StackException(part.label + " has not written a log yet (" + log + ")");
        }
        out.println(PartProcesses.tail(log, lines));
    }
}
