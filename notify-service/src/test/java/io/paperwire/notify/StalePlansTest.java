package io.paperwire.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.paperwire.testing.StalePlans;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** notify's sessions plan each statement for its values: a read model that grew fast is not read whole by its upserts. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class StalePlansTest {

    @Inject
    DataSource pool;

    @Test
    void aLookUpPreparedOnASmallTableUsesTheIndexOnceTheTableGrew() throws Exception {
        assertThat(StalePlans.planAfterGrowth(pool)).contains("Index").doesNotContain("Seq Scan");
        // The control: PostgreSQL's default plan cache keeps the sequential scan, so the probe tells them apart.
        assertThat(StalePlans.planAfterGrowthWithPostgresDefaults(pool)).contains("Seq Scan");
    }
}
