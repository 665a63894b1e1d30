package io.paperwire.dedup.health;

import io.agroal.api.AgroalDataSource;
import io.paperwire.support.config.KafkaAdminSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks whether PostgreSQL and Kafka answer right now. A failure that repeats identically while both answer is not an
 * outage but something in the records, and must not hold the partition for ever.
 */
@ApplicationScoped
public class InfrastructureProbe {

    private static final int TIMEOUT_MS = 5_000;

    private final AgroalDataSource dataSource;
    private final Map<String, Object> adminConfig;
    private Admin admin;

    /** {@code kafkaConfig} is every {@code kafka.*} setting, so the probe connects as the channels do (TLS, SASL). */
    public InfrastructureProbe(AgroalDataSource dataSource, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @io.smallrye.common.annotation.Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig) {
        this.dataSource = dataSource;
        this.adminConfig = KafkaAdminSettings.of(kafkaConfig.isResolvable() ? kafkaConfig.get() : Map.of(), bootstrapServers, TIMEOUT_MS,
                TIMEOUT_MS);
    }

    /** Whether both answer within a few seconds. */
    public boolean healthy() {
        return databaseAnswers() && kafkaAnswers();
    }

    boolean databaseAnswers() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(TIMEOUT_MS / 1000);
        } catch (Exception e) {
            return false;
        }
    }

    synchronized boolean kafkaAnswers() {
        try {
            if (admin == null) {
                admin = Admin.create(adminConfig);
            }
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS + 1000L, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
