package io.paperwire.events.topic;

import java.time.Duration;
import java.util.Map;

/**
 * The topic catalogue: every Kafka topic Paperwire owns, with the settings that make it behave as DESIGN.md
 * says. The local stack, the test harness and the Kubernetes manifests all create topics from this one list.
 */
public enum PaperTopic {

    /** Raw sightings from ingest, keyed by title fingerprint so one paper's sightings share a partition. */
    SIGHTINGS(Names.SIGHTINGS, 6, "title fingerprint", Map.of(
            "cleanup.policy", "delete",
            "retention.ms", millis(Duration.ofDays(7)),
            "min.insync.replicas", "1")),

    /** The whole current state of each paper, keyed by paper id; compacted so a new reader gets every paper. */
    CONSOLIDATED(Names.CONSOLIDATED, 6, "paper id", Map.of(
            "cleanup.policy", "compact",
            "min.compaction.lag.ms", millis(Duration.ofMinutes(1)),
            "min.insync.replicas", "1")),

    /** Sightings dedup could not process, as received, with the reason in headers. */
    SIGHTINGS_DLQ(Names.SIGHTINGS_DLQ, 1, "as received", Map.of(
            "cleanup.policy", "delete",
            "retention.ms", millis(Duration.ofDays(14)),
            // Twice the default record limit: a record as large as the sightings topic takes still fits with the
            // dead-letter headers added, so a dead letter can never be refused for its size and stall the partition.
            "max.message.bytes", String.valueOf(PaperTopic.DLQ_MAX_MESSAGE_BYTES),
            "min.insync.replicas", "1"));

    /** The DLQ's record limit; dedup's dead-letter producer sends requests up to this size. */
    public static final int DLQ_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

    /** Topic names as compile-time constants, usable in annotations and configuration. */
    public static final class Names {
        public static final String SIGHTINGS = "paper.sightings.v1";
        public static final String CONSOLIDATED = "paper.consolidated.v1";
        public static final String SIGHTINGS_DLQ = "paper.sightings.v1.dlq";

        private Names() {
        }
    }

    private final String topicName;
    private final int partitions;
    private final String key;
    private final Map<String, String> config;

    PaperTopic(String topicName, int partitions, String key, Map<String, String> config) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.key = key;
        this.config = config;
    }

    public String topicName() {
        return topicName;
    }

    /** Partitions for a new topic; a larger cluster may raise this, never lower it. */
    public int partitions() {
        return partitions;
    }

    /** What the record key holds, in words (documented in the AsyncAPI file as well). */
    public String key() {
        return key;
    }

    /** Topic-level configuration, independent of the cluster's replication factor. */
    public Map<String, String> config() {
        return config;
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }
}
