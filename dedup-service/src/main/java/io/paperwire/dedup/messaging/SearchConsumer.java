package io.paperwire.dedup.messaging;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.paperwire.dedup.health.SearchProgress;
import io.paperwire.dedup.service.SearchProjection;
import io.paperwire.dedup.service.SearchProjection.Change;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperMerged;
import io.paperwire.support.kafka.OutageBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Thin adapter from {@code paper.consolidated.v1} (read back by its own group) to {@link SearchProjection}, a poll at a
 * time; offsets are committed after the batch's transaction. A record that is not a paper event is counted, logged and
 * skipped (the topic is dedup's own output and replayable); a database failure is retried with backoff, holding the
 * partitions, so no state is skipped because the database was away.
 */
@ApplicationScoped
public class SearchConsumer {

    private static final Logger LOG = Logger.getLogger(SearchConsumer.class);

    private final SearchProjection projection;
    private final SearchProgress progress;

    public SearchConsumer(SearchProjection projection, SearchProgress progress) {
        this.projection = projection;
        this.progress = progress;
    }

    @Incoming(Channels.SEARCH_IN)
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<Change> changes = new ArrayList<>(records.count());
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, byte[]> r : records) {
            oldest = Math.min(oldest, r.timestamp());
            try {
                changes.add(change(r));
            } catch (Exception e) {
                progress.skipped();
                LOG.warnf("skipped record %s-%d@%d: not a paper event (%s)", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
        progress.applying(oldest == Long.MAX_VALUE ? System.currentTimeMillis() : oldest);
        OutageBackoff backoff = new OutageBackoff(LOG, "indexing " + changes.size() + " paper states for search");
        while (true) {
            try {
                SearchProjection.Applied applied = projection.apply(changes);
                progress.applied(records.count(), applied.written());
                return;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while indexing");
                }
                progress.stalled(e.getMessage());
                backoff.failed(e.getMessage());
            }
        }
    }

    private static Change change(ConsumerRecord<String, byte[]> r) throws Exception {
        if (r.value() == null) {
            return new SearchProjection.Gone(UUID.fromString(r.key()));
        }
        Header type = r.headers().lastHeader(CloudEvents.HEADER_TYPE);
        if (type != null && CloudEvents.TYPE_PAPER_MERGED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return new SearchProjection.Gone(UUID.fromString(PaperEventsJson.mapper().readValue(r.value(), PaperMerged.class).paperId()));
        }
        // Only what the document needs: Jackson skips the rest of the state (lists, times) without building it.
        SearchText state = PaperEventsJson.mapper().readValue(r.value(), SearchText.class);
        if (state.paperId() == null || state.title() == null) {
            throw new IllegalArgumentException("a paper state without paperId or title");
        }
        if ((state.title() + state.abstractText()).indexOf('\u0000') >= 0) {
            // PostgreSQL refuses NUL: such a state would be retried for ever, holding its partition.
            throw new IllegalArgumentException("a paper state whose text holds a NUL character");
        }
        return new SearchProjection.State(UUID.fromString(state.paperId()), state.revision(), state.title(), state.abstractText());
    }

    /** The fields of a {@link PaperConsolidated} state the search document is made from, under the contract's names. */
    private record SearchText(String paperId, long revision, String title, @JsonProperty("abstract") String abstractText) {
    }
}
