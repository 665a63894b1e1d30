package io.paperwire.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.notify.repository.PaperViewRepository;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.paperwire.testing.StalePlans;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.junit.jupiter.api.Test;

/**
 * The read model's upsert is planned for its values every time, so a read model that grew fast is not read whole by
 * it; the rest of notify's work (the digest path) keeps PostgreSQL's cached plans.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class StalePlansTest {

    @Inject
    DataSource pool;

    @Inject
    PaperViewRepository views;

    @Test
    void theUpsertIsPlannedForItsValuesInItsOwnTransactionOnly() {
        String run = UUID.randomUUID().toString();
        List<String> seen = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            // Past the five executions after which the JDBC driver prepares the statement on the server and PostgreSQL
            // may settle on a generic plan for it.
            for (int i = 0; i < 8; i++) {
                views.upsertAll(List.of(ReadModelRoundTripTest.state("stale-" + run + "-" + i, 1, "Stale plans " + i, 1.0)));
            }
            views.getEntityManager().unwrap(Session.class).doWork(c -> {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("""
                                select current_setting('plan_cache_mode'), p.generic_plans, p.custom_plans
                                from pg_prepared_statements p where p.statement like '%insert into paper_view%'""")) {
                    while (rs.next()) {
                        seen.add(rs.getString(1) + " generic=" + rs.getLong(2) + " custom=" + rs.getLong(3));
                    }
                }
            });
        });
        // The statement is prepared on the server, and every execution had its own plan.
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).startsWith("force_custom_plan generic=0 custom=");
        assertThat(Long.parseLong(seen.get(0).replaceAll(".*custom=", ""))).isGreaterThanOrEqualTo(1);
        // Outside that transaction the sessions keep PostgreSQL's default.
        assertThat(sessionPlanCacheMode()).isEqualTo("auto");
    }

    @Test
    void theSettingTheUpsertUsesKeepsALookUpOnTheIndexOnceTheTableGrew() throws Exception {
        assertThat(StalePlans.planAfterGrowth(pool, "force_custom_plan")).contains("Index").doesNotContain("Seq Scan");
        // The control: the session's own plan cache keeps the sequential scan, so the probe tells them apart.
        assertThat(StalePlans.planAfterGrowth(pool)).contains("Seq Scan");
    }

    private String sessionPlanCacheMode() {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select current_setting('plan_cache_mode')")) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
