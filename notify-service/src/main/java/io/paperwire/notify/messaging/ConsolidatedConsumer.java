package io.paperwire.notify.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.notify.service.ReadModelService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Thin adapter from {@code paper.consolidated.v1} to the read model; the offset is committed after the upsert. */
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
    public void consume(String value) throws IOException {
        if (value == null) {
            return; // a tombstone: the paper was removed upstream (not produced yet)
        }
        readModel.apply(json.readValue(value, PaperConsolidated.class));
    }
}
