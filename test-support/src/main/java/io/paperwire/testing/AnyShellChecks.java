package io.paperwire.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proves the "any-shell" run (see the parent POM) really had a hostile environment and that the service under
 * test did not hear it. Each service subclasses it as a {@code @QuarkusTest}; outside that run it is skipped.
 */
public abstract class AnyShellChecks {

    /** Conditions on methods, not on the class: JUnit does not inherit class-level conditions. */
    @Test
    @EnabledIfSystemProperty(named = "paperwire-test.any-shell", matches = "true")
    void theCallersEnvironmentIsThereAndUnheard() {
        var config = ConfigProvider.getConfig();
        assertThat(System.getenv("PAPERWIRE_API_TOKEN")).isNotBlank().isNotEqualTo(Harness.API_TOKEN);
        assertThat(System.getenv("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("127.0.0.1:1");
        assertThat(config.getValue("paperwire.api.token", String.class)).isEqualTo(Harness.API_TOKEN);
        assertThat(config.getValue("kafka.bootstrap.servers", String.class)).isEqualTo(TestStack.kafkaBootstrapServers());
        assertThat(config.getOptionalValue("KAFKA_BOOTSTRAP_SERVERS", String.class)).isEmpty();
    }
}
