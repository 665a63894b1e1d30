package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PlannerStatistics;
import io.paperwire.testing.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** ANALYZE skips the catalogue's wide, never-filtered columns and keeps what the planner uses (migration V11). */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class PlannerStatisticsTest {

    @Inject
    DataSource pool;

    @Test
    void analyzeKeepsTheKeysAndSkipsTheStoredText() throws Exception {
        UUID paper = UUID.randomUUID();
        String event = "stats-" + paper;
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                st.execute("insert into paper (id, revision, arxiv_id, title, title_fingerprint, abstract, authors, categories,"
                        + " first_seen_at, last_seen_at, sightings, updated_at, canonical_rank, canonical_observed_at)"
                        + " values ('" + paper + "', 1, null, 'A title', 'a title', 'An abstract', '[\"A. Author\"]',"
                        + " '[\"cs.LG\"]', now(), now(), 1, now(), 1, now())");
                st.execute("insert into sighting (event_id, paper_id, source, observed_at, title, received_at)"
                        + " values ('" + event + "', '" + paper + "', 'test', now(), 'A title', now())");
                st.execute("insert into paper_title (paper_id, fingerprint, title, first_seen_at)"
                        + " values ('" + paper + "', 'a title', 'A title', now())");

                assertThat(PlannerStatistics.columnsAnalyzed(c, "paper"))
                        .contains("id", "arxiv_id", "doi", "title_fingerprint", "last_seen_at", "score")
                        .doesNotContain("title", "abstract", "authors", "categories", "links", "source_counts");
                assertThat(PlannerStatistics.columnsAnalyzed(c, "sighting"))
                        .contains("event_id", "paper_id", "listing_date")
                        .doesNotContain("title", "raw_identifiers");
                assertThat(PlannerStatistics.columnsAnalyzed(c, "paper_title"))
                        .contains("paper_id", "fingerprint")
                        .doesNotContain("title");
            } finally {
                c.rollback(); // the rows and the statistics rows they produced
                c.setAutoCommit(true);
            }
        }
    }
}
