package io.paperwire.support.kafka;

import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * How a consumer waits out an outage it must not skip (a database or broker that does not answer): exponential
 * backoff from 200 ms to 15 s, and a log line on the first failure and every tenth, so a long outage neither spins
 * nor floods the log. One instance per piece of work.
 */
public final class OutageBackoff {

    public static final Duration FIRST = Duration.ofMillis(200);
    public static final Duration MAX = Duration.ofSeconds(15);

    private final Logger log;
    private final String work;
    private Duration next = FIRST;
    private int failures;

    /** {@code work} names what is retried, for the log ("applying 250 paper events"). */
    public OutageBackoff(Logger log, String work) {
        this.log = log;
        this.work = work;
    }

    /** Records a failed attempt, logs it when due, and sleeps before the next. */
    public void failed(String reason) throws InterruptedException {
        failures++;
        if (failures == 1 || failures % 10 == 0) {
            log.warnf("%s failed (attempt %d), retrying with backoff: %s", work, failures, reason);
        }
        Thread.sleep(next.toMillis());
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
    }
}
