package io.paperwire.support.tracing;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * W3C trace context ({@code traceparent}) in Kafka record headers, written and read by hand: the services send and
 * consume whole batches on the clients' own producers and consumers, where the connector's per-message tracing never
 * runs (it is switched off per channel, so a record never carries two). Without a sampled span in the context
 * nothing is written, so with the SDK off (the local default) records carry no trace header at all.
 */
public final class RecordTracing {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header h : headers) {
                keys.add(h.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header h = headers == null ? null : headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private RecordTracing() {
    }

    /** Writes the current context's trace into the headers (nothing when there is no span). */
    public static Headers inject(Headers headers) {
        return inject(Context.current(), headers);
    }

    public static Headers inject(Context context, Headers headers) {
        W3C.inject(context, headers, SETTER);
        return headers;
    }

    /** The trace a record carries, as a parent context ({@link Context#root()} plus nothing when it carries none). */
    public static Context extract(Headers headers) {
        return W3C.extract(Context.root(), headers, GETTER);
    }
}
