package io.paperwire.testing;

import io.paperwire.stack.Ports;
import java.util.LinkedHashMap;
import java.util.Map;

/** Settings every service's tests share, owned by the harness rather than by whoever runs the build. */
public final class Harness {

    /** The write endpoints' bearer token under the test profile (each service's {@code %test.paperwire.api.token}). */
    public static final String API_TOKEN = "test-token-for-the-test-profile-only";

    /**
     * The environment for a process a test starts (a service jar, the launcher): the caller's, without anything that
     * configures Paperwire, Quarkus or Kafka, plus what the test gives. A user's exported {@code PAPERWIRE_API_TOKEN}
     * or {@code PAPERWIRE_NOTIFY_PORT} must not reach it.
     */
    public static void isolate(Map<String, String> processEnvironment, Map<String, String> given) {
        processEnvironment.keySet().removeIf(k -> k.startsWith("PAPERWIRE_") || k.startsWith("QUARKUS_")
                || k.startsWith("KAFKA_") || k.startsWith("MP_MESSAGING_") || k.startsWith("SMALLRYE_"));
        processEnvironment.putAll(given);
    }

    /**
     * {@code PAPERWIRE_<PART>_PORT} for a local stack the launcher starts: Kafka's pair and one port per named part,
     * all distinct by construction (held open together while they are chosen); a service's port + 1000 (its management
     * interface) is free too.
     */
    public static Map<String, String> stackPorts(String... parts) {
        Map<String, String> env = new LinkedHashMap<>();
        try (Ports.Reservation ports = Ports.reserve()) {
            env.put("PAPERWIRE_KAFKA_PORT", String.valueOf(ports.pair()));
            for (String part : parts) {
                // A service's management interface (health, metrics) listens 1000 above its HTTP port.
                boolean service = part.equals("INGEST") || part.equals("DEDUP") || part.equals("NOTIFY");
                env.put("PAPERWIRE_" + part + "_PORT", String.valueOf(service ? ports.withCompanion(1000) : ports.one()));
            }
        }
        return env;
    }

    private Harness() {
    }
}
