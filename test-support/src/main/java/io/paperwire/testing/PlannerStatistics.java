package io.paperwire.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;

/** Which of a table's columns ANALYZE keeps planner statistics for, as the planner would find them in {@code pg_stats}. */
public final class PlannerStatistics {

    private PlannerStatistics() {
    }

    /**
     * Analyzes {@code table} on {@code c} and names the columns that now have statistics. Run it inside a transaction
     * that inserted the rows and is then rolled back: ANALYZE samples the transaction's own rows, and the statistics
     * rows it wrote go with the rollback (the table's row and page estimates in {@code pg_class}, updated in place,
     * and its autovacuum counters stay as ANALYZE left them).
     */
    public static Set<String> columnsAnalyzed(Connection c, String table) throws SQLException {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        try (Statement st = c.createStatement()) {
            st.execute("analyze " + table);
        }
        Set<String> columns = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select attname from pg_stats where schemaname = current_schema() and tablename = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }
}
