package io.paperwire.dedup.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** The rule that tells a bad record from a bad moment, class by class, through the wrappers the stack adds. */
class RecordFaultsTest {

    static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("consolidating failed", new RuntimeException("flush", cause));
    }

    @Test
    void theRecordsOwnDataIsAtFault() {
        assertThat(RecordFaults.recordFault(wrapped(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"))))
                .contains("SQLSTATE 22021");
        assertThat(RecordFaults.recordFault(wrapped(new SQLException("violates check constraint", "23514")))).contains("SQLSTATE 23514");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 3 was aborted", "22008", new int[0]);
        batch.setNextException(new SQLException("date/time field value out of range", "22008"));
        assertThat(RecordFaults.recordFault(wrapped(batch))).contains("22008");
        assertThat(RecordFaults.recordFault(wrapped(new RecordTooLargeException("the message is 2000000 bytes")))).contains("Kafka refuses");
    }

    @Test
    void racesAndOutagesAreNeverTheRecords() {
        assertThat(RecordFaults.recordFault(wrapped(new SQLException("duplicate key", "23505")))).as("a race").isNull();
        for (String state : new String[] {"08006", "25006", "28000", "3D000", "40001", "53100", "55P03", "57014", "58030", "XX000", "42501",
            "42P01", "42703"}) {
            SQLException e = new SQLException("outage " + state, state);
            assertThat(RecordFaults.isOutage(wrapped(e))).as(state).isTrue();
        }
        assertThat(RecordFaults.isOutage(wrapped(new NotEnoughReplicasException("not enough replicas")))).isTrue();
        assertThat(RecordFaults.isOutage(wrapped(new TopicAuthorizationException("denied")))).isTrue();
        assertThat(RecordFaults.isOutage(wrapped(new TimeoutException()))).isTrue();
        assertThat(RecordFaults.isOutage(wrapped(new SQLException("invalid input", "22P02")))).isFalse();
        assertThat(RecordFaults.isOutage(wrapped(new NullPointerException()))).as("unknown: neither").isFalse();
        assertThat(RecordFaults.recordFault(wrapped(new NullPointerException()))).isNull();
    }
}
