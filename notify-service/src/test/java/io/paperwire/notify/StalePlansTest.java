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
        List<Plans> plans = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            // Past the driver's five executions before it prepares the statement on the server, and then past
            // PostgreSQL's five custom plans after which its default plan cache may choose a generic one.
            for (int i = 0; i < 14; i++) {
                views.upsertAll(List.of(ReadModelRoundTripTest.state("stale-" + run + "-" + i, 1, "Stale plans " + i, 1.0)));
            }
            views.getEntityManager().unwrap(Session.class).doWork(c -> {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("""
                                select current_setting('plan_cache_mode'), p.generic_plans, p.custom_plans
                                from pg_prepared_statements p where p.statement like '%insert into paper_view%'""")) {
                    while (rs.next()) {
                        plans.add(new Plans(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
            });
        });
        // The single-state upsert is prepared on the server (the session may hold the consumer's multi-row variants
        // too), and no execution of any of them used a generic plan.
        assertThat(plans).isNotEmpty().allMatch(p -> p.mode().equals("force_custom_plan") && p.generic() == 0)
                .anyMatch(p -> p.custom() >= 5);
        // Outside that transaction the sessions keep PostgreSQL's default.
        assertThat(sessionPlanCacheMode()).isEqualTo("auto");
    }

    @Test
    void theSettingTheUpsertUsesKeepsALookUpOnTheIndexOnceTheTableGrew() throws Exception {
        assertThat(StalePlans.planAfterGrowth(pool, "force_custom_plan")).contains("Index").doesNotContain("Seq Scan");
        // The control: the session's own plan cache keeps the sequential scan, so the probe tells them apart.
        assertThat(StalePlans.planAfterGrowth(pool)).contains("Seq Scan");
    }

    /** A server-prepared upsert's plan counts, and the plan cache mode in force when they were read. */
    private record Plans(String mode, long generic, long custom) {
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
