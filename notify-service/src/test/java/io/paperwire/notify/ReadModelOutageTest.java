package io.paperwire.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.stack.Postgres;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.paperwire.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The read model's database goes away while paper states arrive: the consumer retries and holds its partitions
 * instead of skipping the states (which a per-record 'ignore' failure strategy would have done), and once the
 * database is back the state is there without a restart.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class ReadModelOutageTest {

    static void database(boolean open) throws Exception {
        String name = TestStack.postgres().jdbcUrl().replaceAll(".*/([^/?]+).*", "$1");
        try (Connection c = Postgres.superuser(TestStack.postgres().port(), "postgres"); Statement st = c.createStatement()) {
            st.execute("alter database " + name + " connection limit " + (open ? "-1" : "0"));
            if (!open) {
                st.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + name + "' and usename = '"
                        + TestStack.postgres().user() + "'");
            }
        }
    }

    static double retries() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("paperwire_notify_read_model_retries_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aStateArrivingWhileTheDatabaseIsDownIsAppliedWhenItIsBack() throws Exception {
        String id = UUID.randomUUID().toString();
        double before = retries();
        try {
            database(false);
            ReadModelRoundTripTest.publish(ReadModelRoundTripTest.state(id, 1, "Arrived During The Outage", 1));
            await().atMost(Duration.ofSeconds(60)).until(() -> retries() > before);
        } finally {
            database(true);
        }
        // The test's own reads may first draw pooled connections the outage killed; each such read fails once.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> ReadModelRoundTripTest.view(id) != null);
        assertThat(ReadModelRoundTripTest.view(id).title).isEqualTo("Arrived During The Outage");
    }
}
