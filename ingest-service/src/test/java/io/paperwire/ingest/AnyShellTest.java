package io.paperwire.ingest;

import io.paperwire.testing.AnyShellChecks;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The ingest service's tests pass whatever the caller's shell exports (run by the parent POM's "any-shell" execution). */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class AnyShellTest extends AnyShellChecks {
}
