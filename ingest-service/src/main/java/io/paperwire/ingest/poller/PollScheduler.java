package io.paperwire.ingest.poller;

import io.paperwire.ingest.config.SourcesConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Every tick, polls each enabled source whose interval has passed. A failure in one source never stops the others. */
@ApplicationScoped
public class PollScheduler {

    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    private final SourcesConfig config;
    private final SourcePoller poller;

    public PollScheduler(SourcesConfig config, SourcePoller poller) {
        this.config = config;
        this.poller = poller;
    }

    @Scheduled(every = "${paperwire.poller.tick:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() throws InterruptedException {
        if (!config.poller().enabled()) {
            return;
        }
        for (var e : config.sources().entrySet()) {
            if (!e.getValue().enabled()) {
                continue;
            }
            try {
                if (poller.isDue(e.getKey(), Instant.now())) {
                    poller.poll(e.getKey());
                }
            } catch (InterruptedException ie) {
                throw ie;
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "polling %s failed unexpectedly", e.getKey());
            }
        }
    }
}
