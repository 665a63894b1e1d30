package io.paperwire.support.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The settings of an admin client that connects the way the service's channels do: every {@code kafka.*} setting an
 * admin client knows (TLS, SASL and all), the bootstrap servers, and the caller's timeouts.
 */
public final class KafkaAdminSettings {

    private KafkaAdminSettings() {
    }

    public static Map<String, Object> of(Map<String, Object> kafkaConfig, String bootstrapServers, int requestTimeoutMs, int apiTimeoutMs) {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, apiTimeoutMs);
        return props;
    }
}
