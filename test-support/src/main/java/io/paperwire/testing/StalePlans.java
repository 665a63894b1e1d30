package io.paperwire.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Whether a service's database sessions would keep a plan made while a table was small: a statement prepared and run
 * on a table of 20 rows, the table grown to 100,000 rows without new statistics, and the plan PostgreSQL now uses for
 * it. Under PostgreSQL's default plan cache it is still the sequential scan chosen for 20 rows; a session that plans
 * every execution for its values uses the index.
 */
public final class StalePlans {

    private StalePlans() {
    }

    /** The plan of a look-up by key after its table grew 5,000-fold, on a session of {@code pool} as the pool made it. */
    public static String planAfterGrowth(DataSource pool) throws SQLException {
        return planAfterGrowth(pool, null);
    }

    /**
     * The same with {@code plan_cache_mode} set to {@code mode} for the probe (null: the session's own setting), the
     * session's setting restored after; {@code "auto"} is PostgreSQL's default, the control that shows the probe can
     * tell the two apart.
     */
    public static String planAfterGrowth(DataSource pool, String mode) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            try {
                if (mode != null) {
                    st.execute("set plan_cache_mode = " + quotedMode(mode));
                }
                // A temporary table: the session's own, never analyzed behind the test's back.
                st.execute("create temp table stale_plan_probe (id text primary key, body text)");
                st.execute("insert into stale_plan_probe select 'k' || i, repeat('x', 100) from generate_series(1, 20) i");
                st.execute("analyze stale_plan_probe");
                st.execute("prepare stale_plan_lookup(text[]) as select id from stale_plan_probe where id = any($1)");
                for (int i = 0; i < 10; i++) { // past the five executions after which PostgreSQL may settle on a generic plan
                    st.execute("execute stale_plan_lookup('{k1,k2}')");
                }
                st.execute("insert into stale_plan_probe select 'm' || i, repeat('x', 100) from generate_series(1, 100000) i");
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = st.executeQuery("explain execute stale_plan_lookup('{k1,k2}')")) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                // The pooled session goes back as it came: only the probe's own statement and table are dropped.
                st.execute("reset plan_cache_mode");
                try (ResultSet left = st.executeQuery("select 1 from pg_prepared_statements where name = 'stale_plan_lookup'")) {
                    if (left.next()) {
                        st.execute("deallocate stale_plan_lookup");
                    }
                }
                st.execute("drop table if exists stale_plan_probe");
            }
        }
    }

    private static String quotedMode(String mode) {
        if (!mode.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a plan_cache_mode: " + mode);
        }
        return mode;
    }
}
