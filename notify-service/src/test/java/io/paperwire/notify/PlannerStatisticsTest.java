package io.paperwire.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PlannerStatistics;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** ANALYZE skips the read model's wide, never-filtered columns and keeps what the planner uses (migration V9). */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class PlannerStatisticsTest {

    @Inject
    DataSource pool;

    @Test
    void analyzeKeepsTheKeysAndTheSearchDocumentAndSkipsTheStoredText() throws Exception {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                st.execute("insert into paper_view (paper_id, revision, title, abstract, authors, categories, score, upvotes,"
                        + " sightings, first_seen_at, last_seen_at, document, sources, links, title_aliases)"
                        + " values ('" + UUID.randomUUID() + "', 1, 'A title', 'An abstract', '[\"A. Author\"]', '[\"cs.LG\"]',"
                        + " 1.0, 0, 1, now(), now(), to_tsvector('english', 'A title'), '[\"test\"]', '[]', '[]')");

                assertThat(PlannerStatistics.columnsAnalyzed(c, "paper_view"))
                        .contains("paper_id", "score", "last_seen_at", "changed_at", "document")
                        .doesNotContain("title", "abstract", "authors", "categories", "links", "sources", "title_aliases");
            } finally {
                c.rollback(); // the row and the statistics rows it produced
                c.setAutoCommit(true);
            }
        }
    }
}
