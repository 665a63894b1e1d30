package io.paperwire.dedup.messaging;

import io.paperwire.support.db.SqlStates;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Tells a failure caused by the records themselves (retrying cannot help; the record belongs on the DLQ) from a bad
 * moment (database or broker away; retrying is the only right answer), by the failure's class alone. What neither
 * rule recognises counts as a bad moment until it has repeated while the database and broker answer
 * ({@link SightingConsumer}).
 */
final class RecordFaults {

    /** Integrity violations that are a record's own (a unique violation is a race, retried by RaceSafeConsolidation). */
    private static final Set<String> RACES = Set.of(SqlStates.UNIQUE_VIOLATION);
    /**
     * SQLSTATE classes and codes that are the database's state, never a record's: connection (08), transaction state
     * such as a read-only replica after a failover (25), rollback (40), insufficient resources such as a full disk (53),
     * object state such as a lock timeout (55), operator intervention such as a cancelled statement (57), system (58),
     * internal (XX), authorisation (28), a missing database or schema (3D, 3F); and codes that mean the schema is not
     * the one this code expects, as during a rolling deploy: a missing privilege, table, column or function.
     */
    private static final Set<String> OUTAGE_CLASSES = Set.of("08", "25", "28", "3D", "3F", "40", "53", "55", "57", "58", "XX");
    private static final Set<String> OUTAGE_CODES = Set.of("42501", "42P01", "42703", "42883");
    /** How the reason of a fault the database reported begins (such faults are capped per batch, see SightingConsumer). */
    static final String DATABASE_PREFIX = "PostgreSQL refuses";

    private RecordFaults() {
    }

    /** Why {@code e} is the records' fault, or null when it is not known to be. */
    static String recordFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof InvalidRecordException || t instanceof SerializationException) {
                return "Kafka refuses the paper's new state: " + firstLine(t);
            }
            if (t instanceof SQLException sql) {
                // A batched statement's own error comes as the next exception of a BatchUpdateException.
                SQLException s = sql;
                for (int i = 0; s != null && i < 10; i++, s = s.getNextException()) {
                    String state = s.getSQLState();
                    // Class 22 (data exception: invalid text, out-of-range value) and class 23 (integrity constraint)
                    // are about the values written, never about the connection.
                    if (state != null && (state.startsWith("22") || state.startsWith("23")) && !RACES.contains(state)) {
                        // A batch's own message repeats the whole statement; the server's error is the next one.
                        SQLException server = s.getNextException() != null ? s.getNextException() : s;
                        return DATABASE_PREFIX + " the record's data (SQLSTATE " + state + "): " + firstLine(server);
                    }
                }
            }
        }
        return null;
    }

    /**
     * Whether {@code e} is known to be an outage whatever the records: then it is retried without limit and never
     * counts towards the rule that blames records for failures that repeat.
     */
    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException
                    || t instanceof AuthorizationException
                    || t instanceof AuthenticationException
                    || t instanceof TimeoutException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.length() >= 2 && OUTAGE_CLASSES.contains(state.substring(0, 2)) || OUTAGE_CODES.contains(state))) {
                    return true;
                }
            }
        }
        return false;
    }

    static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int cut = m.indexOf('\n');
        return cut > 0 ? m.substring(0, cut) : m;
    }
}
