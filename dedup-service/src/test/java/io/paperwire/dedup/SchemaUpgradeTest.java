package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.events.PaperConsolidated;
import io.paperwire.stack.Postgres;
import io.paperwire.testing.TestStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * The migrations upgrade a catalogue that already holds papers written under version 1, and leave every row
 * readable by today's mapping. (Tests on a fresh database cannot see a migration that breaks old rows.)
 */
class SchemaUpgradeTest {

    @Test
    void aVersionOneCatalogueUpgradesToRowsTodaysCodeCanRead() throws Exception {
        TestStack.Database db = TestStack.postgres();
        String name = "upgrade_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = UUID.randomUUID().toString();
        Postgres.ensureDatabase(db.port(), name, name, password);
        String url = Postgres.jdbcUrl(db.port(), name);

        Flyway.configure().dataSource(url, name, password).target(MigrationVersion.fromVersion("1")).load().migrate();
        UUID paper = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(url, name, password); Statement st = c.createStatement()) {
            st.execute("insert into paper (id, revision, title, title_fingerprint, first_seen_at, last_seen_at, sightings, updated_at) "
                    + "values ('" + paper + "', 1, 'Old Paper', 'old paper', now(), now(), 1, now())");
            st.execute("insert into sighting (event_id, paper_id, source, observed_at, title, received_at) "
                    + "values ('e1', '" + paper + "', 'old-source', now(), 'Old Paper', now())");
        }

        Flyway.configure().dataSource(url, name, password).load().migrate();

        try (Connection c = DriverManager.getConnection(url, name, password); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select p.last_change, p.links::text, s->>'source', (s->>'sightings')::int, "
                        + "s->>'lastSeenAt', (select max(observed_at) from sighting) from paper p, jsonb_array_elements(p.source_counts) s")) {
            assertThat(rs.next()).isTrue();
            assertThat(PaperConsolidated.ChangeType.valueOf(rs.getString(1))).isEqualTo(PaperConsolidated.ChangeType.UPDATED);
            assertThat(rs.getString(2)).isEqualTo("[]");
            assertThat(rs.getString(3)).isEqualTo("old-source");
            assertThat(rs.getInt(4)).isEqualTo(1);
            // The per-source counts moved onto the paper row (V10) in the form the batch reads back.
            assertThat(java.time.Instant.parse(rs.getString(5))).isEqualTo(rs.getObject(6, java.time.OffsetDateTime.class).toInstant());
            assertThat(rs.next()).isFalse();
        }
    }
}
