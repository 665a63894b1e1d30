package io.paperwire.local.bench;

import io.paperwire.events.PaperSighted;
import io.paperwire.stack.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;

/** The consolidate scenario's ceiling: the same rows upserted into a bare table with batched JDBC. */
final class JdbcUpsertBaseline extends BenchPart {

    JdbcUpsertBaseline(Context context) {
        super(context);
    }

    /** The ceiling: the same rows upserted into a bare table with batched JDBC (rewritten to multi-row inserts). */
    double run(int n, IntFunction<PaperSighted> rows) throws Exception {
        String password = UUID.randomUUID().toString();
        Postgres.ensureDatabase(config.postgresPort(), "paperwire_bench", "bench", password);
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(config.postgresPort(), "paperwire_bench")
                + (Postgres.jdbcUrl(config.postgresPort(), "paperwire_bench").contains("?") ? "&" : "?") + "reWriteBatchedInserts=true",
                "bench", password)) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists bench_upsert");
                st.execute("create table bench_upsert (fingerprint text primary key, title text not null, abstract text, "
                        + "source text not null, sightings int not null, updated_at timestamptz not null)");
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("insert into bench_upsert values (?, ?, ?, ?, 1, now()) on conflict "
                    + "(fingerprint) do update set sightings = bench_upsert.sightings + 1, updated_at = now()")) {
                int inBatch = 0;
                Set<String> keys = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    PaperSighted s = rows.apply(i);
                    // A multi-row upsert may not touch one row twice: a repeated key starts the next batch.
                    if (!keys.add(s.titleFingerprint())) {
                        ps.executeBatch();
                        c.commit();
                        inBatch = 0;
                        keys.clear();
                        keys.add(s.titleFingerprint());
                    }
                    ps.setString(1, s.titleFingerprint());
                    ps.setString(2, s.title());
                    ps.setString(3, s.abstractText());
                    ps.setString(4, s.source());
                    ps.addBatch();
                    if (++inBatch == 500) {
                        ps.executeBatch();
                        c.commit();
                        inBatch = 0;
                        keys.clear();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
            return n / seconds(t0);
        }
    }
}
