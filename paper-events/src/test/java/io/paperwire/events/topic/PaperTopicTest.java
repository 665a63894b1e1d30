package io.paperwire.events.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PaperTopicTest {

    @Test
    void catalogueMatchesTheDesign() {
        assertThat(PaperTopic.SIGHTINGS.topicName()).isEqualTo("paper.sightings.v1");
        assertThat(PaperTopic.SIGHTINGS.config()).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", String.valueOf(7L * 24 * 3600 * 1000));
        assertThat(PaperTopic.CONSOLIDATED.config()).containsEntry("cleanup.policy", "compact")
                .doesNotContainKey("retention.ms");
        assertThat(PaperTopic.SIGHTINGS_DLQ.topicName()).isEqualTo(PaperTopic.SIGHTINGS.topicName() + ".dlq");
        assertThat(PaperTopic.SIGHTINGS_DLQ.config()).containsEntry("retention.ms", String.valueOf(14L * 24 * 3600 * 1000));
        for (PaperTopic t : PaperTopic.values()) {
            assertThat(t.partitions()).isPositive();
        }
    }
}
