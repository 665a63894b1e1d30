package io.paperwire.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.stack.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the chaos workload was told (every 202 and its entries, every confirmed subscriber) against what the
 * system holds afterwards (the catalogue, the consolidated topic from its beginning, notify's read model and digest
 * queue, the mail server, the webhook receivers' logs) and counts every way a guarantee could have been broken.
 */
final class ChaosChecker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MESSAGE_ID = Pattern.compile("<digest\\.([0-9a-f-]{36})\\.([^@]+)@paperwire>");

    /** The counts of one check; a guarantee holds when its violation counts are zero. */
    record Result(Map<String, Object> sightings, Map<String, Object> papers, Map<String, Object> digests,
            Map<String, Object> webhooks, List<String> examples) {

        long violations() {
            return num(sightings, "lost") + num(sightings, "countedTwice") + num(papers, "phantomsOnTopic")
                    + num(papers, "phantomsInReadModel") + num(papers, "staleOnTopic") + num(papers, "split")
                    + num(papers, "mergedButLiveOnTopic") + num(papers, "mergesNotAnnounced") + num(papers, "staleInReadModel")
                    + num(papers, "apiDisagrees")
                    + num(digests, "missing") + num(digests, "withAnotherMessageId") + num(digests, "misaddressed")
                    + num(webhooks, "missing") + num(webhooks, "withAnotherDeliveryId") + num(webhooks, "misaddressed");
        }

        private static long num(Map<String, Object> m, String k) {
            return ((Number) m.getOrDefault(k, 0)).longValue();
        }
    }

    private final LocalConfig config;
    private final ChaosWorkload workload;
    private final List<String> examples = new ArrayList<>();

    ChaosChecker(LocalConfig config, ChaosWorkload workload) {
        this.config = config;
        this.workload = workload;
    }

    Result check() throws Exception {
        Map<String, Object> sightings = new LinkedHashMap<>();
        Map<String, Object> papers = new LinkedHashMap<>();
        // Expected: each acknowledged entry once, under its event id, in the one paper of its logical paper.
        Map<String, Integer> logicalOf = new HashMap<>();
        Map<Integer, Integer> ackedPerLogical = new TreeMap<>();
        Set<Integer> linked = new HashSet<>(); // two-piece papers whose linking sighting was acknowledged
        for (ChaosWorkload.Ack a : workload.acks) {
            for (ChaosWorkload.Entry e : a.entries()) {
                if (e.link()) {
                    linked.add(e.paper());
                }
                if (logicalOf.put(workload.eventId(a.key(), e.index()), e.paper()) == null) {
                    ackedPerLogical.merge(e.paper(), 1, Integer::sum);
                }
            }
        }
        sightings.put("documentsAcknowledged", workload.acks.size());
        sightings.put("acknowledged", logicalOf.size());
        Map<String, UUID> folded;
        Map<UUID, long[]> catalogue; // id -> revision, sightings, sighting rows
        Set<UUID> mergedAway = new HashSet<>();
        try (Connection c = Postgres.superuser(config.postgresPort(), "paperwire_dedup")) {
            folded = folded(c, logicalOf.keySet());
            Set<UUID> ids = new HashSet<>(folded.values());
            catalogue = papers(c, ids);
            try (PreparedStatement ps = c.prepareStatement("select id from merged_paper")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        mergedAway.add(rs.getObject(1, UUID.class));
                    }
                }
            }
        }
        long lost = logicalOf.size() - folded.size();
        // Which side lost them: ingest (acknowledged, never on the sightings topic) or dedup (on it, never folded).
        Set<String> onTopic = sightingIdsOnTopic(logicalOf.keySet());
        sightings.put("onSightingsTopic", onTopic.size());
        sightings.put("lostBeforeTheTopic", logicalOf.keySet().stream().filter(id -> !onTopic.contains(id)).count());
        sightings.put("lostAfterTheTopic", onTopic.stream().filter(id -> !folded.containsKey(id)).count());
        logicalOf.keySet().stream().filter(id -> !folded.containsKey(id)).limit(5).forEach(id -> examples.add("lost sighting " + id));
        sightings.put("consolidated", folded.size());
        sightings.put("lost", lost);
        // Counted twice: a paper counting more sightings than it has history rows, or than were acknowledged for it.
        Map<Integer, Set<UUID>> papersOfLogical = new TreeMap<>();
        folded.forEach((event, paper) -> papersOfLogical.computeIfAbsent(logicalOf.get(event), k -> new HashSet<>()).add(paper));
        long twice = 0;
        long split = 0;
        long unlinked = 0;
        for (var e : papersOfLogical.entrySet()) {
            boolean onePaper = workload.papers.get(e.getKey()).kind() != ChaosWorkload.Kind.TWO_PIECES || linked.contains(e.getKey());
            if (e.getValue().size() > 1) {
                if (onePaper) {
                    split++;
                    examples.add("logical paper " + e.getKey() + " is " + e.getValue().size() + " catalogue papers: " + e.getValue());
                } else {
                    unlinked++; // two pieces nothing has linked yet are rightly two papers
                }
            }
            long counted = 0;
            long rows = 0;
            for (UUID id : e.getValue()) {
                long[] p = catalogue.getOrDefault(id, new long[3]);
                counted += p[1];
                rows += p[2];
                twice += Math.max(0, p[1] - p[2]);
            }
            long extra = counted - ackedPerLogical.getOrDefault(e.getKey(), 0) - Math.max(0, counted - rows);
            if (extra > 0) {
                twice += extra;
                examples.add("logical paper " + e.getKey() + " counts " + counted + " sightings for " + ackedPerLogical.get(e.getKey())
                        + " acknowledged");
            }
        }
        sightings.put("countedTwice", twice);
        papers.put("logicalPapers", workload.papers.size());
        papers.put("logicalPapersSighted", papersOfLogical.size());
        papers.put("split", split);
        papers.put("twoPiecesNotYetLinked", unlinked);

        // The topic from its beginning: every paper id that ever had a state of this run, and its last record.
        Map<String, JsonNode> last = new HashMap<>();
        Set<String> everPublished = new HashSet<>();
        readTopic(last, everPublished);
        Set<String> known = new HashSet<>();
        Set<UUID> live = new HashSet<>();
        try (Connection c = Postgres.superuser(config.postgresPort(), "paperwire_dedup")) {
            List<UUID> asUuid = everPublished.stream().map(UUID::fromString).toList();
            catalogue.putAll(papers(c, new HashSet<>(asUuid)));
            live.addAll(catalogue.keySet());
        }
        live.forEach(id -> known.add(id.toString()));
        mergedAway.forEach(id -> known.add(id.toString()));
        List<String> phantoms = everPublished.stream().filter(id -> !known.contains(id)).sorted().toList();
        phantoms.stream().limit(5).forEach(id -> examples.add("phantom on the topic: " + id + " " + last.get(id)));
        papers.put("publishedIds", everPublished.size());
        papers.put("mergedAway", mergedAway.stream().map(UUID::toString).filter(everPublished::contains).count());
        papers.put("phantomsOnTopic", phantoms.size());
        long stale = 0;
        for (UUID id : catalogue.keySet()) {
            JsonNode state = last.get(id.toString());
            if (state == null || state.isNull() || state.path("revision").asLong() != catalogue.get(id)[0]) {
                stale++;
                examples.add("paper " + id + ": catalogue revision " + catalogue.get(id)[0] + ", topic ends with "
                        + (state == null ? "nothing" : state.isNull() ? "a tombstone" : "revision " + state.path("revision").asLong()));
            }
        }
        long mergedStillLive = mergedAway.stream().map(UUID::toString).filter(everPublished::contains)
                .filter(id -> last.get(id) != null && !last.get(id).isNull()).count();
        papers.put("staleOnTopic", stale);
        papers.put("mergedButLiveOnTopic", mergedStillLive);
        // Merges of the run's papers still owed to the topic.
        long unannounced = 0;
        try (Connection c = Postgres.superuser(config.postgresPort(), "paperwire_dedup");
                PreparedStatement ps = c.prepareStatement("select id from merged_paper where not announced and id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", everPublished.stream().map(UUID::fromString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unannounced++;
                    examples.add("merge of " + rs.getString(1) + " recorded but never marked announced");
                }
            }
        }
        papers.put("mergesNotAnnounced", unannounced);
        // notify's read model of this run's papers: nothing the catalogue lacks, everything at the catalogue's revision.
        long readModelPhantoms = 0;
        Map<UUID, Long> readModel = new HashMap<>();
        try (Connection c = Postgres.superuser(config.postgresPort(), "paperwire_notify");
                PreparedStatement ps = c.prepareStatement("select paper_id, revision from paper_view where title like ?")) {
            ps.setString(1, "Chaos " + workload.run + " %");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = UUID.fromString(rs.getString(1));
                    readModel.put(id, rs.getLong(2));
                    if (!live.contains(id)) {
                        readModelPhantoms++;
                        examples.add("notify's read model holds " + id + ", which the catalogue does not");
                    }
                }
            }
        }
        long readModelStale = 0;
        for (UUID id : live) {
            Long held = readModel.get(id);
            if (held == null || held != catalogue.get(id)[0]) {
                readModelStale++;
                examples.add("notify's read model has paper " + id + " at " + (held == null ? "no revision" : "revision " + held)
                        + ", the catalogue at " + catalogue.get(id)[0]);
            }
        }
        papers.put("phantomsInReadModel", readModelPhantoms);
        papers.put("apiDisagrees", apiDisagreements(live, catalogue));
        papers.put("staleInReadModel", readModelStale);
        Map<String, Object> digests = new LinkedHashMap<>();
        Map<String, Object> webhooks = new LinkedHashMap<>();
        checkDigests(digests, webhooks);
        return new Result(sightings, papers, digests, webhooks, List.copyOf(examples.subList(0, Math.min(examples.size(), 30))));
    }

    /**
     * Every (subscription, period) of the run's subscribers that notify planned, or that a confirmed subscriber was owed
     * and notify never planned, against the mails and webhook deliveries that arrived.
     */
    private void checkDigests(Map<String, Object> digests, Map<String, Object> webhooks) throws Exception {
        Map<String, String> kindOf = new HashMap<>(); // subscription id -> kind
        Map<String, String> jobStatus = new TreeMap<>(); // "id period" -> status
        Map<String, String> idOfAddress = new HashMap<>();
        try (Connection c = Postgres.superuser(config.postgresPort(), "paperwire_notify");
                PreparedStatement ps = c.prepareStatement("""
                        select s.id, s.kind, coalesce(s.email, s.webhook_url), j.period, j.status from subscription s
                        left join digest_job j on j.subscription_id = s.id
                        where s.status = 'active' and (s.email like ? or s.webhook_url like ?)""")) {
            ps.setString(1, workload.run + "-%@chaos.example.org");
            ps.setString(2, "%/hook/" + workload.run + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    kindOf.put(id, rs.getString(2));
                    idOfAddress.put(rs.getString(3), id);
                    if (rs.getString(4) != null) {
                        jobStatus.put(id + " " + rs.getString(4), rs.getString(5));
                    }
                }
            }
        }
        // A confirmed subscriber with no job at all was never planned: that is a missing digest too.
        long neverPlanned = 0;
        for (ChaosWorkload.Subscriber s : workload.subscribers) {
            String id = idOfAddress.get(s.address());
            if (id == null || jobStatus.keySet().stream().noneMatch(k -> k.startsWith(id + " "))) {
                neverPlanned++;
                examples.add("subscriber " + s.address() + " got no digest planned");
            }
        }
        // Mail: copies per Message-ID, which names (subscription, period); each must have gone to that subscriber.
        Map<String, String> addressOfId = new HashMap<>();
        idOfAddress.forEach((address, id) -> addressOfId.put(id, address));
        Map<String, Integer> mailCopies = new TreeMap<>();
        long anotherMessageId = 0;
        long mailMisaddressed = 0;
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(config.mailApiUrl() + "/messages?to=" + workload.run + "-")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode m : JSON.readTree(r.body())) {
            if (!m.path("subject").asText().startsWith("Paperwire digest")) {
                continue;
            }
            Matcher id = MESSAGE_ID.matcher(m.path("messageId").asText());
            if (!id.matches()) {
                anotherMessageId++;
                examples.add("a digest mail to " + m.path("to").asText() + " has Message-ID " + m.path("messageId").asText());
                continue;
            }
            if (!m.path("to").asText().contains(String.valueOf(addressOfId.get(id.group(1))))) {
                mailMisaddressed++;
                examples.add("digest " + id.group(1) + " " + id.group(2) + " went to " + m.path("to").asText());
            }
            mailCopies.merge(id.group(1) + " " + id.group(2), 1, Integer::sum);
        }
        // Webhooks: copies per (subscription, period) as the body says; the delivery id and the URL must agree.
        Map<String, Integer> hookCopies = new TreeMap<>();
        long anotherDeliveryId = 0;
        long hookMisaddressed = 0;
        for (ChaosWorkload.Delivery d : workload.deliveries) {
            hookCopies.merge(d.subscriptionId() + " " + d.period(), 1, Integer::sum);
            if (!(d.subscriptionId() + "/" + d.period()).equals(d.deliveryId())) {
                anotherDeliveryId++;
                examples.add("webhook delivery " + d.deliveryId() + " carries " + d.subscriptionId() + "/" + d.period());
            }
            if (!String.valueOf(addressOfId.get(d.subscriptionId())).endsWith(d.path())) {
                hookMisaddressed++;
                examples.add("webhook digest of " + d.subscriptionId() + " arrived at " + d.path());
            }
        }
        long[] email = new long[4];
        long[] hook = new long[4]; // expected, delivered once, missing, copies beyond the first
        for (var job : jobStatus.entrySet()) {
            String sub = job.getKey().split(" ")[0];
            boolean isMail = "email".equals(kindOf.get(sub));
            long[] t = isMail ? email : hook;
            int copies = (isMail ? mailCopies : hookCopies).getOrDefault(job.getKey(), 0);
            t[0]++;
            if (copies == 0) {
                // 'skipped' included: every subscriber filters on the run's token, so nothing matching is a fault too.
                t[2]++;
                examples.add((isMail ? "mail" : "webhook") + " digest " + job.getKey() + " missing (job " + job.getValue() + ")");
            } else {
                t[1] += copies == 1 ? 1 : 0;
                t[3] += copies - 1;
            }
        }
        long mailNeverPlanned = workload.subscribers.stream().filter(s -> s.kind().equals("email"))
                .filter(s -> idOfAddress.get(s.address()) == null
                        || jobStatus.keySet().stream().noneMatch(k -> k.startsWith(idOfAddress.get(s.address()) + " "))).count();
        digests.put("expected", email[0] + mailNeverPlanned);
        digests.put("deliveredOnce", email[1]);
        digests.put("missing", email[2] + mailNeverPlanned);
        digests.put("extraCopiesWithTheSameMessageId", email[3]);
        digests.put("withAnotherMessageId", anotherMessageId);
        digests.put("misaddressed", mailMisaddressed);
        webhooks.put("expected", hook[0] + neverPlanned - mailNeverPlanned);
        webhooks.put("deliveredOnce", hook[1]);
        webhooks.put("missing", hook[2] + neverPlanned - mailNeverPlanned);
        webhooks.put("extraCopiesWithTheSameDeliveryId", hook[3]);
        webhooks.put("withAnotherDeliveryId", anotherDeliveryId);
        webhooks.put("misaddressed", hookMisaddressed);
    }

    private Map<String, UUID> folded(Connection c, Set<String> eventIds) throws SQLException {
        Map<String, UUID> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select event_id, paper_id from sighting where event_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getObject(2, UUID.class));
                }
            }
        }
        return out;
    }

    /** Live catalogue papers among {@code ids}: revision, the sightings it counts, and its sighting history rows. */
    private static Map<UUID, long[]> papers(Connection c, Set<UUID> ids) throws SQLException {
        Map<UUID, long[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select p.id, p.revision, p.sightings, (select count(*) from sighting s where s.paper_id = p.id)
                from paper p where p.id = any(?)""")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        return out;
    }

    /**
     * The catalogue as its API shows it: each live paper of the run must answer 200 at the revision and with the
     * sighting count the database holds. Returns how many do not.
     */
    private long apiDisagreements(Set<UUID> live, Map<UUID, long[]> catalogue) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long disagree = 0;
        for (UUID id : live) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.dedupPort()
                    + "/api/v1/papers/" + id)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode p = r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.nullNode();
            if (r.statusCode() != 200 || p.path("revision").asLong() != catalogue.get(id)[0]
                    || p.path("sightings").asLong() != catalogue.get(id)[1]) {
                disagree++;
                examples.add("GET /api/v1/papers/" + id + ": HTTP " + r.statusCode() + " revision " + p.path("revision")
                        + ", the database " + catalogue.get(id)[0]);
            }
        }
        return disagree;
    }

    /** The acknowledged event ids found on paper.sightings.v1, read from the beginning (the ce_id header). */
    private Set<String> sightingIdsOnTopic(Set<String> acknowledged) {
        Set<String> found = new HashSet<>();
        readFromStart(PaperTopic.SIGHTINGS.topicName(), rec -> {
            var h = rec.headers().lastHeader(CloudEvents.HEADER_ID);
            String id = h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
            if (id != null && acknowledged.contains(id)) {
                found.add(id);
            }
        });
        return found;
    }

    /** Hands every record of {@code topic}, from its beginning to its end as of now, to {@code each}. */
    private void readFromStart(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers(), ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofSeconds(1)).forEach(each);
            }
        }
    }

    /** Reads paper.consolidated.v1 from the beginning to its end: the last record per key, and the run's paper ids. */
    private void readTopic(Map<String, JsonNode> last, Set<String> everPublished) {
        String marker = "Chaos " + workload.run + " ";
        readFromStart(PaperTopic.CONSOLIDATED.topicName(), rec -> {
            if (rec.key() == null) {
                return;
            }
            String key = new String(rec.key(), StandardCharsets.UTF_8);
            if (rec.value() == null) {
                if (everPublished.contains(key)) {
                    last.put(key, JSON.nullNode());
                }
                return;
            }
            JsonNode v;
            try {
                v = JSON.readTree(rec.value());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON on " + rec.topic() + "-" + rec.partition() + "@" + rec.offset(), e);
            }
            if (v.has("revision") && v.path("title").asText().startsWith(marker)) {
                everPublished.add(key);
                last.put(key, v);
            } else if (v.has("revision") && everPublished.contains(key)) {
                last.put(key, v);
            }
        });
    }
}
