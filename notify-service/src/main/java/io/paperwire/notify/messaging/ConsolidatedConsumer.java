package io.paperwire.notify.messaging;

import io.opentelemetry.api.trace.Tracer;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.support.tracing.BatchTraces;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperMerged;
import io.paperwire.events.SightingLimits;
import io.paperwire.notify.readmodel.ReadModelService;
import io.paperwire.notify.readmodel.ReadModelService.Change;
import io.paperwire.support.kafka.OutageBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Thin adapter from {@code paper.consolidated.v1} to the read model, a poll's worth of records per transaction; the
 * offsets are committed only after the transaction. A paper state is upserted; a merged-into event or a tombstone
 * removes the absorbed paper. A record that is not a valid event is counted, logged and skipped (it is dedup's
 * output, replayable from the topic, and one bad state must not stop every other paper); a database failure is
 * retried with backoff, holding the partitions, so that no state is ever skipped because the database was away.
 */
@ApplicationScoped
public class ConsolidatedConsumer {

    private static final Logger LOG = Logger.getLogger(ConsolidatedConsumer.class);

    private final ReadModelService readModel;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Tracer tracer;

    public ConsolidatedConsumer(ReadModelService readModel, ObjectMapper json, MeterRegistry metrics, Tracer tracer) {
        this.tracer = tracer;
        this.readModel = readModel;
        this.json = json;
        this.metrics = metrics;
        metrics.counter("paperwire.notify.states.skipped");
        metrics.counter("paperwire.notify.read.model.retries");
    }

    @Incoming(Channels.CONSOLIDATED_IN)
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        // One span per trace in the batch (a document's papers share one), ended once the read model has them.
        try (BatchTraces traces = BatchTraces.start(tracer, "apply " + PaperTopic.CONSOLIDATED.topicName(), records)) {
            apply(records);
        }
    }

    private void apply(ConsumerRecords<String, String> records) throws InterruptedException {
        List<Change> changes = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> r : records) {
            try {
                changes.add(change(r));
            } catch (Exception e) {
                metrics.counter("paperwire.notify.states.skipped").increment();
                LOG.warnf("skipped record %s-%d@%d: not a paper event (%s)", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
        // Never skipped: a state not applied would be missing from the read model until the paper changes again.
        OutageBackoff backoff = new OutageBackoff(LOG, "applying " + changes.size() + " paper events");
        while (true) {
            try {
                readModel.applyAll(changes);
                return;
            } catch (RuntimeException | AssertionError e) {
                // AssertionError: pgjdbc asserts on a connection closed under a JDBC batch (seen with -ea, in tests);
                // it is the same lost connection as the SQLException it raises without assertions.
                metrics.counter("paperwire.notify.read.model.retries").increment();
                backoff.failed(e.getMessage());
            }
        }
    }

    private Change change(ConsumerRecord<String, String> r) throws Exception {
        if (r.value() == null) {
            if (r.key() == null || r.key().indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException("a tombstone without a usable key");
            }
            return Change.removal(r.key());
        }
        Header type = r.headers().lastHeader(CloudEvents.HEADER_TYPE);
        if (type != null && CloudEvents.TYPE_PAPER_MERGED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            PaperMerged merged = json.readValue(r.value(), PaperMerged.class);
            if (merged.paperId() == null || merged.mergedInto() == null || (merged.paperId() + merged.mergedInto()).indexOf('\u0000') >= 0) {
                throw new IllegalArgumentException("a merge without usable paper ids");
            }
            return Change.merge(merged.paperId(), merged.mergedInto());
        }
        PaperConsolidated state = json.readValue(r.value(), PaperConsolidated.class);
        if (state.paperId() == null || state.title() == null) {
            throw new IllegalArgumentException("a paper state without paperId or title");
        }
        // PostgreSQL refuses NUL: such a state would be retried for ever, holding every later state of its partition.
        // dedup never publishes one; another producer might.
        String withNul = SightingLimits.fieldWithNul(state);
        if (withNul != null) {
            throw new IllegalArgumentException("a paper state whose " + withNul + " holds a NUL character");
        }
        return Change.state(state);
    }
}
