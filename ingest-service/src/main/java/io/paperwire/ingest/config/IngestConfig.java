package io.paperwire.ingest.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** ingest-service's own settings. */
@ConfigMapping(prefix = "paperwire.ingest")
public interface IngestConfig {

    /** Listing documents larger than this are refused with 413 (the HTTP layer's hard cap is set above it). */
    @WithDefault("10M")
    MemorySize maxDocumentSize();
}
