package io.paperwire.support.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a batch of sends under one deadline: what "published" means to a caller that promises it. */
public final class Acknowledgements {

    private Acknowledgements() {
    }

    /**
     * Returns once every send is acknowledged; throws {@link NotAcknowledgedException} when one failed (with Kafka's
     * exception as the cause) or {@code timeout} passed first.
     */
    public static void await(Collection<? extends Future<?>> sends, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Future<?> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka to acknowledge " + what, e);
        } catch (ExecutionException e) {
            throw new NotAcknowledgedException("Kafka did not acknowledge " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new NotAcknowledgedException("Kafka did not acknowledge " + what + " within " + timeout.toSeconds() + " s", e);
        }
    }
}
