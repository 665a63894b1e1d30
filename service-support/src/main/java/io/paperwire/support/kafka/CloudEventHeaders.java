package io.paperwire.support.kafka;

import io.paperwire.events.CloudEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** A record's CloudEvents headers (binary content mode, {@link CloudEvents}), as Kafka headers: every producer writes them so. */
public final class CloudEventHeaders {

    private CloudEventHeaders() {
    }

    public static Headers of(String id, String type, String source, Instant time, String subject, String dataSchema) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.headers(id, type, source, time, subject, dataSchema)
                .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }
}
