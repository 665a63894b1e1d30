package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.StalePlans;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** dedup's sessions plan each statement for its values: a catalogue that grew fast is not read whole by its look-ups. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class StalePlansTest {

    @Inject
    DataSource pool;

    @Test
    void aLookUpPreparedOnASmallTableUsesTheIndexOnceTheTableGrew() throws Exception {
        assertThat(StalePlans.planAfterGrowth(pool)).contains("Index").doesNotContain("Seq Scan");
        // The control: PostgreSQL's default plan cache keeps the sequential scan, so the probe tells them apart.
        assertThat(StalePlans.planAfterGrowth(pool, "auto")).contains("Seq Scan");
    }

    @Test
    void theSessionsKeepTheirOtherSetting() throws Exception {
        // Both settings travel in one 'options' string: the publication fence's time-out must survive the addition.
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select current_setting('idle_in_transaction_session_timeout'), current_setting('plan_cache_mode')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("90s");
            assertThat(rs.getString(2)).isEqualTo("force_custom_plan");
        }
    }
}
