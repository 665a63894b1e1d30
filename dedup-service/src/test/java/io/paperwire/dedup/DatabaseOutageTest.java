package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.stack.Postgres;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.TestStack;
import io.paperwire.testing.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The database goes away mid-stream: consumption pauses (no record to the DLQ, no offset skipped), readiness goes
 * down, and when the database is back every sighting is consolidated exactly once, without a restart.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class DatabaseOutageTest {

    static void database(boolean open) throws Exception {
        try (Connection c = Postgres.superuser(TestStack.postgres().port(), "postgres"); Statement st = c.createStatement()) {
            st.execute("alter database paperwire connection limit " + (open ? "-1" : "0"));
            if (!open) {
                st.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'paperwire' "
                        + "and usename = 'paperwire'");
            }
        }
    }

    @Test
    void consumptionPausesWhileTheDatabaseIsDownAndResumesWithNothingLostOrDoubled() throws Exception {
        String word = "outage" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        List<String> keys = new ArrayList<>();
        long consolidatedBefore = given().get("/api/v1/status").then().statusCode(200).extract().jsonPath().getLong("sightingsConsolidated");
        try {
            database(false);
            Instant t = Instant.now();
            for (int i = 0; i < 5; i++) {
                String title = "Outage Paper " + i + " " + word;
                keys.add(TitleFingerprint.of(title));
                PapersApiTest.sight(UUID.randomUUID().toString(), "outage-test", title, i, t.plusSeconds(i));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 503);
            String health = given().get("/q/health/ready").then().extract().asString();
            assertThat(health).contains("DOWN");
            // The status says so too, with the reason, for an operator watching the replica rather than its probes.
            JsonPath stalled = given().get("/api/v1/status").then().statusCode(200).extract().jsonPath();
            assertThat(stalled.getBoolean("stalled")).isTrue();
            assertThat(stalled.getString("stalledReason")).isNotBlank();
            assertThat(stalled.getString("stalledSince")).isNotNull();
        } finally {
            database(true);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonPath p = given().queryParam("q", word).queryParam("limit", 50).get("/api/v1/papers").then().extract().jsonPath();
            return p.getInt("total") == 5;
        });
        JsonPath p = given().queryParam("q", word).queryParam("limit", 50).get("/api/v1/papers").then().extract().jsonPath();
        assertThat(p.getList("items.sightings", Integer.class)).containsOnly(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        JsonPath status = given().get("/api/v1/status").then().statusCode(200).extract().jsonPath();
        assertThat(status.getBoolean("stalled")).isFalse();
        assertThat(status.getString("stalledReason")).isNull();
        assertThat(status.getLong("sightingsConsolidated")).isGreaterThanOrEqualTo(consolidatedBefore + 5);
        assertThat(status.getString("lastBatchAt")).isNotNull();
        // The metric reads the same count.
        double metric = given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("paperwire_dedup_sightings_consolidated_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(metric).isGreaterThanOrEqualTo(consolidatedBefore + 5);
        assertThat(TopicReader.readToEnd(PaperTopic.SIGHTINGS_DLQ.topicName())).noneMatch(r -> keys.contains(r.key()));
    }
}
