package io.paperwire.support.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings every service shares: its write token and how long start-up may wait for Kafka. */
@ConfigMapping(prefix = "paperwire.api")
public interface ApiConfig {

    /** The bearer token write endpoints require; from PAPERWIRE_API_TOKEN, never from a committed file. */
    Optional<String> token();

    /** How long start-up waits for the Kafka cluster to answer before it gives up with a clear message. */
    @WithDefault("20s")
    Duration kafkaStartupTimeout();
}
