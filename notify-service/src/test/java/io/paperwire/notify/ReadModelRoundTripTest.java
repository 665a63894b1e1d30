package io.paperwire.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperMerged;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.notify.repository.PaperView;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.OperationalEndpoints;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.paperwire.testing.TestProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Round trip through the real broker and database: consolidated states become the read model and the home page. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class ReadModelRoundTripTest {

    static PaperConsolidated state(String id, long revision, String title, double score) {
        Instant t = Instant.parse("2026-03-11T08:00:00Z");
        return new PaperConsolidated(id, revision, revision == 1 ? PaperConsolidated.ChangeType.CREATED
                : PaperConsolidated.ChangeType.UPDATED, null, null, title, title.toLowerCase(), List.of(), "abstract", List.of("A. Author"),
                List.of(), t, t, (int) revision, List.of("test"), 0, score, List.of(), t);
    }

    static void publish(PaperConsolidated p) throws Exception {
        publish(p.paperId(), p);
    }

    static void publish(String key, PaperConsolidated p) throws Exception {
        TestProducer.send(PaperTopic.CONSOLIDATED.topicName(), key, PaperEventsJson.mapper().writeValueAsString(p),
                CloudEvents.headers(p.paperId() + "/" + p.revision(), CloudEvents.TYPE_PAPER_CONSOLIDATED, "/test",
                        p.updatedAt(), p.paperId(), CloudEvents.SCHEMA_PAPER_CONSOLIDATED));
    }

    static PaperView view(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Subscribers.paperViews().findById(id));
    }

    @Test
    void latestRevisionWinsEvenWhenAnOlderOneArrivesLate() throws Exception {
        String id = UUID.randomUUID().toString();
        publish(state(id, 2, "Second Revision", 1e6));
        publish(state(id, 1, "First Revision", 1e6));
        String marker = UUID.randomUUID().toString();
        // The marker goes under the paper's key, so onto its partition, behind both revisions: once the marker
        // is in the read model, both earlier records have been consumed.
        publish(id, state(marker, 1, "Marker", 0));
        await().atMost(Duration.ofSeconds(60)).until(() -> view(marker) != null);
        PaperView v = view(id);
        assertThat(v.revision).isEqualTo(2);
        assertThat(v.title).isEqualTo("Second Revision");
    }

    @Test
    void anInvalidStateIsSkippedAndThePartitionMovesOn() throws Exception {
        String key = UUID.randomUUID().toString();
        TestProducer.send(PaperTopic.CONSOLIDATED.topicName(), key, "{not a paper", Map.of());
        String after = UUID.randomUUID().toString();
        // Same key, so same partition, behind the invalid record.
        publish(key, state(after, 1, "After The Invalid One", 1));
        await().atMost(Duration.ofSeconds(60)).until(() -> view(after) != null);
        assertThat(view(key)).isNull();
    }

    @Test
    void aStateWithANulIsSkippedAndThePartitionMovesOn() throws Exception {
        String id = UUID.randomUUID().toString();
        publish(state(id, 1, "Nul\u0000 In The Title", 1));
        String after = UUID.randomUUID().toString();
        publish(id, state(after, 1, "After The Nul", 1));
        await().atMost(Duration.ofSeconds(60)).until(() -> view(after) != null);
        assertThat(view(id)).isNull();
    }

    @Test
    void aMergedPaperLeavesTheReadModel() throws Exception {
        String absorbed = UUID.randomUUID().toString();
        publish(state(absorbed, 1, "Absorbed Paper", 1));
        await().atMost(Duration.ofSeconds(60)).until(() -> view(absorbed) != null);

        String survivor = UUID.randomUUID().toString();
        PaperMerged merged = new PaperMerged(absorbed, survivor, Instant.now());
        TestProducer.send(PaperTopic.CONSOLIDATED.topicName(), absorbed, PaperEventsJson.mapper().writeValueAsString(merged),
                CloudEvents.headers(absorbed + "/merged", CloudEvents.TYPE_PAPER_MERGED, "/test", merged.mergedAt(), absorbed,
                        CloudEvents.SCHEMA_PAPER_MERGED));
        await().atMost(Duration.ofSeconds(60)).until(() -> view(absorbed) == null);

        // A bare tombstone (as compaction leaves behind) removes a paper too.
        String gone = UUID.randomUUID().toString();
        publish(state(gone, 1, "Soon Gone", 1));
        await().atMost(Duration.ofSeconds(60)).until(() -> view(gone) != null);
        TestProducer.send(PaperTopic.CONSOLIDATED.topicName(), gone, null, Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> view(gone) == null);
    }

    @Test
    void thePagesShowPapersWithTheirTitlesEscaped() throws Exception {
        String id = UUID.randomUUID().toString();
        publish(state(id, 1, "<script>alert(1)</script> Escaped Title " + id, 2e6));
        await().atMost(Duration.ofSeconds(60)).until(() -> view(id) != null);
        given().get("/papers/" + id).then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("&lt;script&gt;alert(1)&lt;/script&gt; Escaped Title " + id))
                .body(not(containsString("<script>alert(1)</script>")));
        // In a search, the matched words are marked (<mark>Escaped</mark> <mark>Title</mark>); the rest is escaped alike.
        given().queryParam("q", "\"escaped title\"").get("/search").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Escaped</mark> <mark>Title</mark> " + id))
                .body(not(containsString("<script>alert(1)</script>")));
    }

    @Test
    void operationalEndpointsAnswer() {
        OperationalEndpoints.assertServed("Paperwire notify-service");
    }
}
