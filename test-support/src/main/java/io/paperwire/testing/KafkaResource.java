package io.paperwire.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a Quarkus test at the shared real Kafka broker (never Dev Services, never the in-memory connector). */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", TestStack.kafkaBootstrapServers());
    }

    @Override
    public void stop() {
        // The broker lives as long as the test JVM: restarting it per test class would cost seconds each.
    }
}
