package io.paperwire.ingest.poller;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.ingest.config.SourcesConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostRateLimiterTest {

    static SourcesConfig config(Duration defaultInterval, Map<String, Duration> perHost) {
        SourcesConfig.Poller poller = new SourcesConfig.Poller() {
            public boolean enabled() { return false; }
            public Duration defaultHostInterval() { return defaultInterval; }
            public Map<String, Duration> hostInterval() { return perHost; }
            public Duration requestTimeout() { return Duration.ofSeconds(1); }
            public int maxAttempts() { return 1; }
            public Duration initialBackoff() { return Duration.ofMillis(1); }
            public Duration maxBackoff() { return Duration.ofMillis(1); }
            public Duration lease() { return Duration.ofMinutes(1); }
            public String userAgent() { return "test"; }
            public int maxRedirects() { return 3; }
            public Optional<String> instanceId() { return Optional.empty(); }
        };
        return new SourcesConfig() {
            public Map<String, Source> sources() { return Map.of(); }
            public Poller poller() { return poller; }
        };
    }

    @Test
    void arxivHostsGetThreeSecondsUnlessConfiguredOtherwise() {
        HostRateLimiter l = new HostRateLimiter(config(Duration.ofSeconds(1), Map.of("example.org", Duration.ofMillis(250))));
        assertThat(l.intervalFor("export.arxiv.org")).isEqualTo(Duration.ofSeconds(3));
        assertThat(l.intervalFor("rss.arxiv.org")).isEqualTo(Duration.ofSeconds(3));
        assertThat(l.intervalFor("huggingface.co")).isEqualTo(Duration.ofSeconds(1));
        assertThat(l.intervalFor("EXAMPLE.org")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void requestsToOneHostAreSpacedAndOtherHostsDoNotWait() throws InterruptedException {
        HostRateLimiter l = new HostRateLimiter(config(Duration.ofMillis(300), Map.of()));
        long t0 = System.nanoTime();
        l.acquire("a.example");
        l.acquire("a.example");
        l.acquire("a.example");
        // A lower bound only: a loaded machine can make it slower, never faster.
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(600));

        HostRateLimiter fresh = new HostRateLimiter(config(Duration.ofSeconds(30), Map.of()));
        fresh.acquire("b.example");
        long t1 = System.nanoTime();
        fresh.acquire("c.example");
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("another host has its own slot").isLessThan(Duration.ofSeconds(5));
    }
}
