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

    /** The plan of a look-up by key after its table grew 5,000-fold, on a session of {@code pool}. */
    public static String planAfterGrowth(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            // A temporary table: the session's own, never analyzed behind the test's back, gone with the session.
            st.execute("create temp table if not exists stale_plan_probe (id text primary key, body text)");
            st.execute("truncate stale_plan_probe");
            st.execute("insert into stale_plan_probe select 'k' || i, repeat('x', 900) from generate_series(1, 20) i");
            st.execute("analyze stale_plan_probe");
            st.execute("deallocate all");
            st.execute("prepare stale_plan_lookup(text[]) as select id from stale_plan_probe where id = any($1)");
            for (int i = 0; i < 10; i++) { // past the five executions after which PostgreSQL may settle on a generic plan
                st.execute("execute stale_plan_lookup('{k1,k2}')");
            }
            st.execute("insert into stale_plan_probe select 'm' || i, repeat('x', 900) from generate_series(1, 100000) i");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = st.executeQuery("explain execute stale_plan_lookup('{k1,k2}')")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            st.execute("deallocate stale_plan_lookup");
            st.execute("drop table stale_plan_probe");
            return plan.toString();
        }
    }
}
