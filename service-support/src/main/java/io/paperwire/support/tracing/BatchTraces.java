package io.paperwire.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The spans of one consumed batch: one per trace the batch's records carry (a document's sightings share a trace, so
 * they share a span), each a child of the records' own context, so a listing document stays one trace across the
 * Kafka hops. What the batch produces for a record is sent under {@link #contextFor(String)} of its key.
 */
public final class BatchTraces implements AutoCloseable {

    private final Map<String, Span> byTrace = new LinkedHashMap<>();
    private final Map<String, Context> byKey = new HashMap<>();
    private final Map<String, Long> counts = new HashMap<>();

    private BatchTraces() {
    }

    /** Starts the spans; records without a trace get none. */
    public static BatchTraces start(Tracer tracer, String spanName, Iterable<? extends ConsumerRecord<?, ?>> records) {
        BatchTraces traces = new BatchTraces();
        for (ConsumerRecord<?, ?> r : records) {
            Context parent = RecordTracing.extract(r.headers());
            SpanContext remote = Span.fromContext(parent).getSpanContext();
            if (!remote.isValid()) {
                continue;
            }
            Span span = traces.byTrace.computeIfAbsent(remote.getTraceId(), t -> tracer.spanBuilder(spanName).setParent(parent)
                    .setSpanKind(SpanKind.CONSUMER).setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.destination.name", r.topic()).startSpan());
            traces.counts.merge(remote.getTraceId(), 1L, Long::sum);
            String key = keyText(r.key());
            if (key != null) {
                traces.byKey.put(key, parent.with(span));
            }
        }
        return traces;
    }

    private static String keyText(Object key) {
        return key == null ? null : key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : key.toString();
    }

    /** The context to send a record's consequence under: its span, or none when it came without a trace. */
    public Context contextFor(String key) {
        return key == null ? Context.root() : byKey.getOrDefault(key, Context.root());
    }

    @Override
    public void close() {
        byTrace.forEach((trace, span) -> {
            span.setAttribute("messaging.batch.message_count", counts.getOrDefault(trace, 0L));
            span.end();
        });
    }
}
