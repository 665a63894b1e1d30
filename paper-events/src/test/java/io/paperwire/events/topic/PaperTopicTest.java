package io.paperwire.events.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The topic catalogue is what DESIGN.md's Topics table promises (the table operators and downstream teams read): the
 * same topics, each with its key and its cleanup and retention. The broker gets exactly this catalogue
 * ({@code TopicCatalogue}, the Kubernetes checks' {@code TopicsAndUsersTest}).
 */
class PaperTopicTest {

    /** | `name` | key | value | cleanup[, N days] | producers | consumers | */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.]+)` \\| ([^|]+) \\| [^|]+ \\| ([a-z]+)(?:, (\\d+) days)? \\|", Pattern.MULTILINE);

    private record Promise(String key, String cleanup, Duration retention) {
    }

    private static Map<String, Promise> designTable() throws Exception {
        String design = Files.readString(Path.of("..", "docs", "DESIGN.md"));
        String topics = design.substring(design.indexOf("## Topics"), design.indexOf("\n## ", design.indexOf("## Topics") + 1));
        Map<String, Promise> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(topics);
        while (m.find()) {
            rows.put(m.group(1), new Promise(m.group(2).strip(), m.group(3), m.group(4) == null ? null : Duration.ofDays(Long.parseLong(m.group(4)))));
        }
        return rows;
    }

    @Test
    void theCatalogueIsTheDesignsTopicsTable() throws Exception {
        Map<String, Promise> promised = designTable();
        assertThat(promised).as("rows read from DESIGN.md").isNotEmpty();
        assertThat(List.of(PaperTopic.values())).extracting(PaperTopic::topicName).containsExactlyInAnyOrderElementsOf(promised.keySet());
        for (PaperTopic t : PaperTopic.values()) {
            Promise p = promised.get(t.topicName());
            assertThat(t.key()).as("key of %s", t.topicName()).isEqualTo(p.key());
            assertThat(t.config().get("cleanup.policy")).as("cleanup of %s", t.topicName()).isEqualTo(p.cleanup());
            assertThat(t.config().get("retention.ms")).as("retention of %s", t.topicName())
                    .isEqualTo(p.retention() == null ? null : String.valueOf(p.retention().toMillis()));
            assertThat(t.partitions()).isPositive();
        }
    }

    @Test
    void theDeadLetterTopicTakesAnyRecordTheSightingsTopicTakesWithItsHeaders() {
        // The broker's default record limit is 1 MiB; the DLQ's must be larger, or a big dead letter stalls the partition.
        assertThat(Integer.parseInt(PaperTopic.SIGHTINGS_DLQ.config().get("max.message.bytes"))).isGreaterThan(1024 * 1024);
        assertThat(PaperTopic.SIGHTINGS.config()).doesNotContainKey("max.message.bytes");
    }
}
