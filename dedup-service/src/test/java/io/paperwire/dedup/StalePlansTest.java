package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.StalePlans;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
        String plan = StalePlans.planAfterGrowth(pool);
        assertThat(plan).contains("Index").doesNotContain("Seq Scan");
    }
}
