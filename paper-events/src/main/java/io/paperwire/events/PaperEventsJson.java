package io.paperwire.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON mapping of the events, so producers, consumers and tests agree on dates (ISO-8601 strings)
 * and on tolerance: unknown fields are ignored, so adding an optional field never breaks an older reader.
 */
public final class PaperEventsJson {

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

    private PaperEventsJson() {
    }

    /** A shared, fully configured mapper (thread-safe; do not reconfigure it). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies the event mapping to a mapper owned by someone else (a Quarkus ObjectMapper, say). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }
}
