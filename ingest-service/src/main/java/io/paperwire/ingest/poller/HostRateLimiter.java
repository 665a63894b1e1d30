package io.paperwire.ingest.poller;

import io.paperwire.ingest.config.SourcesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Spaces requests to one host at least its configured interval apart, across all sources polling it
 * (arXiv's terms: one request every three seconds). Callers block until their slot.
 */
@ApplicationScoped
public class HostRateLimiter {

    private final SourcesConfig.Poller config;
    private final ConcurrentHashMap<String, Long> nextSlotNanos = new ConcurrentHashMap<>();

    public HostRateLimiter(SourcesConfig config) {
        this.config = config.poller();
    }

    Duration intervalFor(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        Duration configured = config.hostInterval().get(h);
        if (configured != null) {
            return configured;
        }
        if (h.equals("arxiv.org") || h.endsWith(".arxiv.org")) {
            return Duration.ofSeconds(3).compareTo(config.defaultHostInterval()) > 0
                    ? Duration.ofSeconds(3) : config.defaultHostInterval();
        }
        return config.defaultHostInterval();
    }

    /** Waits until this host may be asked again, and books the slot after that. */
    public void acquire(String host) throws InterruptedException {
        long interval = intervalFor(host).toNanos();
        long[] wait = new long[1];
        nextSlotNanos.compute(host.toLowerCase(Locale.ROOT), (h, next) -> {
            long now = System.nanoTime();
            long slot = next == null || next < now ? now : next;
            wait[0] = slot - now;
            return slot + interval;
        });
        if (wait[0] > 0) {
            TimeUnit.NANOSECONDS.sleep(wait[0]);
        }
    }
}
