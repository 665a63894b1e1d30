package io.paperwire.support.db;

import java.sql.SQLException;
import java.util.Set;

/** Reads the SQLSTATE a failure carries anywhere in its cause chain: how services tell a lost race or an outage from a bug. */
public final class SqlStates {

    /** Another transaction won: a unique key taken meanwhile (23505), a deadlock (40P01), a serialization failure (40001). */
    public static final String UNIQUE_VIOLATION = "23505";
    public static final Set<String> LOST_RACE = Set.of(UNIQUE_VIOLATION, "40P01", "40001");

    private SqlStates() {
    }

    /** Whether any SQLException in the chain has one of {@code states}. */
    public static boolean any(Throwable e, Set<String> states) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && states.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Whether any SQLException in the chain has a SQLSTATE starting with one of {@code prefixes} (a class, such as "08"). */
    public static boolean anyOfClass(Throwable e, String... prefixes) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                for (String p : prefixes) {
                    if (sql.getSQLState().startsWith(p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
