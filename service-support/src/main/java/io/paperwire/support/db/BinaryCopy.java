package io.paperwire.support.db;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows appended with PostgreSQL's {@code COPY ... FROM STDIN (FORMAT binary)}: the cheapest way to add many rows, as
 * the server neither parses text nor plans a statement per row. Values are encoded here in the server's own binary
 * forms; a row is begun with {@link #row}, then exactly as many values as columns, in the columns' order.
 */
public final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** PostgreSQL's epoch (2000-01-01T00:00:00Z) in Unix seconds and days. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;
    private static final long PG_EPOCH_DAYS = 10_957L;

    private final String sql;
    private final int columns;
    private byte[] buf = new byte[64 * 1024];
    private int len;
    private int rows;
    private int valuesInRow;

    /** {@code table} and {@code columns} are the code's own names, never input. */
    public BinaryCopy(String table, String... columns) {
        this.sql = "copy " + table + " (" + String.join(", ", columns) + ") from stdin (format binary)";
        this.columns = columns.length;
        bytes(SIGNATURE);
        int32(0); // flags
        int32(0); // header extension length
    }

    public BinaryCopy row() {
        if (rows > 0 && valuesInRow != columns) {
            throw new IllegalStateException("row " + rows + " has " + valuesInRow + " values for " + columns + " columns");
        }
        rows++;
        valuesInRow = 0;
        int16(columns);
        return this;
    }

    public int rows() {
        return rows;
    }

    public BinaryCopy text(String value) {
        if (value == null) {
            return nul();
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        value(b.length);
        bytes(b);
        return this;
    }

    /** A {@code jsonb} value from its JSON text (the binary form is a version byte and the text). */
    public BinaryCopy jsonb(String json) {
        if (json == null) {
            return nul();
        }
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        value(b.length + 1);
        ensure(1);
        buf[len++] = 1;
        bytes(b);
        return this;
    }

    public BinaryCopy uuid(UUID value) {
        if (value == null) {
            return nul();
        }
        value(16);
        int64(value.getMostSignificantBits());
        int64(value.getLeastSignificantBits());
        return this;
    }

    public BinaryCopy int4(Integer value) {
        if (value == null) {
            return nul();
        }
        value(4);
        int32(value);
        return this;
    }

    public BinaryCopy int8(long value) {
        value(8);
        int64(value);
        return this;
    }

    public BinaryCopy float8(double value) {
        value(8);
        int64(Double.doubleToLongBits(value));
        return this;
    }

    public BinaryCopy bool(boolean value) {
        value(1);
        ensure(1);
        buf[len++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** A {@code timestamptz}: microseconds since PostgreSQL's epoch (finer digits are cut, as PostgreSQL stores them). */
    public BinaryCopy timestamptz(Instant value) {
        if (value == null) {
            return nul();
        }
        long micros;
        try {
            micros = Math.addExact(Math.multiplyExact(value.getEpochSecond() - PG_EPOCH_SECONDS, 1_000_000L), value.getNano() / 1_000);
        } catch (ArithmeticException e) {
            throw outOfRange("timestamp", value);
        }
        value(8);
        int64(micros);
        return this;
    }

    public BinaryCopy date(LocalDate value) {
        if (value == null) {
            return nul();
        }
        long days = value.toEpochDay() - PG_EPOCH_DAYS;
        if (days != (int) days) {
            throw outOfRange("date", value);
        }
        value(4);
        int32((int) days);
        return this;
    }

    /**
     * A value too far out for the binary form itself. Closer values out of PostgreSQL's range reach the server, which
     * refuses them with the same SQLSTATE (22008), so callers see one kind of error for both.
     */
    private static IllegalArgumentException outOfRange(String type, Object value) {
        String message = type + " out of range: \"" + value + "\"";
        return new IllegalArgumentException(message, new SQLException(message, "22008"));
    }

    private BinaryCopy nul() {
        value(-1);
        return this;
    }

    /** Sends every row on the connection (in its transaction); returns how many the server took. */
    public long copyTo(Connection c) throws SQLException {
        if (rows == 0) {
            return 0;
        }
        row(); // checks the last row, then is undone: the trailer takes its place
        rows--;
        len -= 2;
        int16(-1);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            in.writeToCopy(buf, 0, len);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void value(int length) {
        if (valuesInRow++ >= columns) {
            throw new IllegalStateException("more values than the " + columns + " columns");
        }
        int32(length);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void int16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }
}
