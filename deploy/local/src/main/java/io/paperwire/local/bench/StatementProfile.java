package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.paperwire.stack.Postgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where PostgreSQL's time went during one scenario, from {@code pg_stat_statements} (the local stack preloads it):
 * reset before, the statements with the most execution time after. Empty, with the reason on the console, when the
 * running server was started without the library (a stack from before it was added: 'paperwire down' and 'up').
 */
final class StatementProfile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final int port;
    private final boolean available;

    private StatementProfile(int port, boolean available) {
        this.port = port;
        this.available = available;
    }

    static StatementProfile start(int port, PrintStream out) {
        try (Connection c = Postgres.superuser(port, "postgres"); Statement st = c.createStatement()) {
            st.execute("create extension if not exists pg_stat_statements");
            st.execute("select pg_stat_statements_reset()");
            return new StatementProfile(port, true);
        } catch (SQLException e) {
            out.println("  (no statement profile: " + e.getMessage().lines().findFirst().orElse("") + ")");
            return new StatementProfile(port, false);
        }
    }

    /** The {@code limit} statements with the most total execution time since {@link #start}, in the given databases. */
    ArrayNode top(int limit, String... databases) {
        ArrayNode top = JSON.createArrayNode();
        if (!available) {
            return top;
        }
        try (Connection c = Postgres.superuser(port, "postgres"); PreparedStatement ps = c.prepareStatement("""
                select d.datname, s.calls, s.rows, round(s.total_exec_time::numeric, 1) as total_ms,
                       round(s.mean_exec_time::numeric, 3) as mean_ms, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 160) as query
                from pg_stat_statements s join pg_database d on d.oid = s.dbid
                where d.datname = any (?) order by s.total_exec_time desc limit ?""")) {
            ps.setArray(1, c.createArrayOf("text", databases));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    top.addObject().put("database", rs.getString(1)).put("calls", rs.getLong(2)).put("rows", rs.getLong(3))
                            .put("total_ms", rs.getDouble(4)).put("mean_ms", rs.getDouble(5)).put("query", rs.getString(6));
                }
            }
        } catch (SQLException e) {
            top.addObject().put("error", e.getMessage());
        }
        return top;
    }
}
