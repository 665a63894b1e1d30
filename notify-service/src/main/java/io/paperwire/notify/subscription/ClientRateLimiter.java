package io.paperwire.notify.subscription;

import io.paperwire.notify.config.NotifyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subscribe requests per client address in a sliding hour, in this replica's memory: a cheap first line against a
 * script hammering the form. The per-address limit on confirmation mails, which protects the people being mailed,
 * is kept in the database and holds across replicas.
 */
@ApplicationScoped
public class ClientRateLimiter {

    private static final Duration WINDOW = Duration.ofHours(1);
    private static final int MAX_CLIENTS = 100_000;
    private final Window subscribes;
    private final Window previews;
    private final Clock clock;

    public ClientRateLimiter(NotifyConfig config, Clock clock) {
        this.clock = clock;
        this.subscribes = new Window(config.rateLimit().subscribesPerClientPerHour());
        this.previews = new Window(config.rateLimit().previewsPerClientPerHour());
    }

    /** Counts a subscribe request; when over the limit, how long until the next one would be allowed. */
    public Optional<Duration> acquire(String client) {
        return subscribes.acquire(client, clock.instant());
    }

    /** Counts a preview, in a bucket of its own: a reader trying filters out must not use up their subscribing. */
    public Optional<Duration> acquirePreview(String client) {
        return previews.acquire(client, clock.instant());
    }

    /** One sliding hour of requests per client. */
    private static final class Window {

        private final Map<String, Deque<Instant>> seen = new ConcurrentHashMap<>();
        private final int limit;

        Window(int limit) {
            this.limit = limit;
        }

        Optional<Duration> acquire(String client, Instant now) {
            if (seen.size() > MAX_CLIENTS) {
                seen.values().removeIf(d -> { synchronized (d) { return d.isEmpty() || d.peekLast().isBefore(now.minus(WINDOW)); } });
            }
            Deque<Instant> times = seen.computeIfAbsent(client, c -> new ArrayDeque<>());
            synchronized (times) {
                while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(WINDOW))) {
                    times.pollFirst();
                }
                if (times.size() >= limit) {
                    return Optional.of(Duration.between(now, times.peekFirst().plus(WINDOW)).plusSeconds(1));
                }
                times.addLast(now);
                return Optional.empty();
            }
        }
    }
}
