package io.paperwire.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * CloudEvents 1.0 Kafka binary-mode header names and the event types Paperwire emits, shared by producers
 * and consumers so that nobody spells a header by hand.
 */
public final class CloudEvents {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE_JSON = "application/json";

    public static final String HEADER_SPEC_VERSION = "ce_specversion";
    public static final String HEADER_ID = "ce_id";
    public static final String HEADER_TYPE = "ce_type";
    public static final String HEADER_SOURCE = "ce_source";
    public static final String HEADER_TIME = "ce_time";
    public static final String HEADER_SUBJECT = "ce_subject";
    public static final String HEADER_DATA_SCHEMA = "ce_dataschema";
    public static final String HEADER_CONTENT_TYPE = "content-type";

    public static final String TYPE_PAPER_SIGHTED = "io.paperwire.paper.sighted.v1";
    public static final String TYPE_PAPER_CONSOLIDATED = "io.paperwire.paper.consolidated.v1";
    public static final String TYPE_PAPER_MERGED = "io.paperwire.paper.merged.v1";

    public static final String SCHEMA_PAPER_SIGHTED = "https://paperwire.io/schemas/paper-sighted.v1.json";
    public static final String SCHEMA_PAPER_CONSOLIDATED = "https://paperwire.io/schemas/paper-consolidated.v1.json";
    public static final String SCHEMA_PAPER_MERGED = "https://paperwire.io/schemas/paper-merged.v1.json";

    /** Headers dedup adds to a record it sends to the dead-letter topic. */
    public static final String HEADER_DLQ_REASON = "dead-letter-reason";
    public static final String HEADER_DLQ_CAUSE = "dead-letter-cause";

    private CloudEvents() {
    }

    /**
     * The binary-mode headers of one event, in a stable order; producers copy them onto the Kafka record.
     * {@code ce_subject} carries the record key so that a consumer reading headers alone knows the paper.
     */
    public static Map<String, String> headers(String id, String type, String source, Instant time,
            String subject, String dataSchema) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(HEADER_SPEC_VERSION, SPEC_VERSION);
        h.put(HEADER_ID, Objects.requireNonNull(id, "id"));
        h.put(HEADER_TYPE, Objects.requireNonNull(type, "type"));
        h.put(HEADER_SOURCE, Objects.requireNonNull(source, "source"));
        h.put(HEADER_TIME, time.toString());
        h.put(HEADER_SUBJECT, subject);
        h.put(HEADER_DATA_SCHEMA, dataSchema);
        h.put(HEADER_CONTENT_TYPE, CONTENT_TYPE_JSON);
        return Collections.unmodifiableMap(h);
    }
}
