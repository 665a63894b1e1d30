package io.paperwire.testing;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The service's clock in tests (it replaces service-support's default bean in every service's tests): the real time
 * plus an offset that a test may move, to reach the next digest period, a link's expiry or a given weekday, and must
 * put back.
 */
@Singleton
public class TestClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Moves the service's time forward by {@code by}. */
    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    /** Moves the service's time to about {@code at} (it goes on running from there). */
    public void set(Instant at) {
        offset = Duration.between(Instant.now(), at);
    }

    /** Back to the real time. */
    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service reads UTC instants only");
    }
}
