package io.paperwire.local;

/** The parts of the local stack, in start order; {@code down} stops them in reverse. */
enum Part {
    KAFKA("kafka", "Kafka (KRaft)"),
    POSTGRES("postgres", "PostgreSQL"),
    SMTP("smtp", "SMTP (GreenMail)"),
    INGEST("ingest", "ingest-service"),
    DEDUP("dedup", "dedup-service"),
    NOTIFY("notify", "notify-service");

    final String id;
    final String label;

    Part(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** A service's initial and maximum heap (see LocalStack: sized for the 300 MB resident budget). */
    String[] heap() {
        return this == DEDUP ? new String[] {"-Xms64m", "-Xmx112m"} : new String[] {"-Xms32m", "-Xmx96m"};
    }

    boolean isService() {
        return this == INGEST || this == DEDUP || this == NOTIFY;
    }

    int port(LocalConfig c) {
        return switch (this) {
            case KAFKA -> c.kafkaPort();
            case POSTGRES -> c.postgresPort();
            case SMTP -> c.smtpPort();
            case INGEST -> c.ingestPort();
            case DEDUP -> c.dedupPort();
            case NOTIFY -> c.notifyPort();
        };
    }

    /** The Quarkus module directory of a service. */
    String module() {
        return id + "-service";
    }
}
