package io.paperwire.support.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refuses to start a service that is configured wrong, with a message that says what to fix: no API token,
 * or a Kafka cluster that does not answer (the connector alone would only log warnings forever).
 */
@Singleton
public class StartupChecks {

    static final int MIN_TOKEN_LENGTH = 16;
    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    private final ApiConfig api;
    private final String bootstrapServers;
    private final Map<String, Object> kafkaConfig;

    /**
     * {@code kafkaConfig} is Quarkus' view of every {@code kafka.*} setting (from properties or KAFKA_* environment
     * variables), so the check connects the way the channels will: TLS, SASL and all.
     */
    public StartupChecks(ApiConfig api, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @io.smallrye.common.annotation.Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig) {
        this.api = api;
        this.bootstrapServers = bootstrapServers;
        this.kafkaConfig = kafkaConfig.isResolvable() ? kafkaConfig.get() : Map.of();
    }

    void onStart(@Observes StartupEvent ignored) {
        checkToken();
        checkKafka();
    }

    void checkToken() {
        String token = api.token().orElse("");
        if (token.isBlank()) {
            throw new IllegalStateException("PAPERWIRE_API_TOKEN is not set. Write endpoints need it: export "
                    + "PAPERWIRE_API_TOKEN=\"$(openssl rand -hex 24)\" (deploy/local/paperwire up generates one).");
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("PAPERWIRE_API_TOKEN is too short (" + token.length()
                    + " characters): use at least " + MIN_TOKEN_LENGTH + " random characters.");
        }
    }

    void checkKafka() {
        long timeoutMs = api.kafkaStartupTimeout().toMillis();
        Map<String, Object> props = KafkaAdminSettings.of(kafkaConfig, bootstrapServers, (int) Math.min(timeoutMs, 10_000), (int) timeoutMs);
        try (Admin admin = Admin.create(props)) {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                    .nodes().get(timeoutMs + 1000, TimeUnit.MILLISECONDS).size();
            LOG.infof("Kafka at %s answered (%d broker(s))", bootstrapServers, nodes);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Kafka is unreachable at " + bootstrapServers + " (" + cause
                    + ", waited " + api.kafkaStartupTimeout().toSeconds() + " s). Start it (deploy/local/paperwire up) "
                    + "or point KAFKA_BOOTSTRAP_SERVERS at a running cluster.", e);
        }
    }
}
