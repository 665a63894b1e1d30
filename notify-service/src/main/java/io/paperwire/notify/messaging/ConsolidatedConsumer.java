package io.paperwire.notify.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperMerged;
import io.paperwire.notify.service.ReadModelService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Thin adapter from {@code paper.consolidated.v1} to the read model; the offset is committed after the change.
 * A paper state is upserted; a merged-into event or a tombstone removes the absorbed paper.
 */
@ApplicationScoped
public class ConsolidatedConsumer {

    private final ReadModelService readModel;
    private final ObjectMapper json;

    public ConsolidatedConsumer(ReadModelService readModel, ObjectMapper json) {
        this.readModel = readModel;
        this.json = json;
    }

    @Incoming(Channels.CONSOLIDATED_IN)
    @Blocking(ordered = true)
    public void consume(String value, IncomingKafkaRecordMetadata<String, String> record) throws IOException {
        if (value == null) {
            readModel.remove(record.getKey());
            return;
        }
        Header type = record.getHeaders().lastHeader(CloudEvents.HEADER_TYPE);
        if (type != null && CloudEvents.TYPE_PAPER_MERGED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            PaperMerged merged = json.readValue(value, PaperMerged.class);
            readModel.merged(merged.paperId(), merged.mergedInto());
            return;
        }
        readModel.apply(json.readValue(value, PaperConsolidated.class));
    }
}
