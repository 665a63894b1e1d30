package io.paperwire.stack.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Reads a {@code PaperSighted} JSON value as a Connect record with a schema, so that the Debezium JDBC sink (which
 * needs one) can read the very records dedup reads. It keeps the columns of the benchmark's plain JDBC upsert:
 * title fingerprint (the key of the upsert), title, abstract, source. Used by the benchmark only.
 */
public class SightingConverter implements Converter {

    static final Schema SCHEMA = SchemaBuilder.struct().name("io.paperwire.bench.Sighting")
            .field("fingerprint", Schema.STRING_SCHEMA)
            .field("title", Schema.STRING_SCHEMA)
            .field("abstract", Schema.OPTIONAL_STRING_SCHEMA)
            .field("source", Schema.STRING_SCHEMA)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        throw new DataException("SightingConverter only reads sightings");
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        try {
            JsonNode n = JSON.readTree(value);
            Struct s = new Struct(SCHEMA)
                    .put("fingerprint", n.path("titleFingerprint").asText())
                    .put("title", n.path("title").asText())
                    .put("abstract", n.path("abstract").isTextual() ? n.path("abstract").asText() : null)
                    .put("source", n.path("source").asText());
            return new SchemaAndValue(SCHEMA, s);
        } catch (IOException e) {
            throw new DataException("not a PaperSighted event: " + e.getMessage(), e);
        }
    }
}
