package io.paperwire.testing;

import io.paperwire.stack.KafkaBroker;
import io.paperwire.stack.MailServer;
import io.paperwire.stack.Ports;
import io.paperwire.stack.Postgres;
import io.paperwire.stack.StackFiles;
import io.paperwire.stack.TopicCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * The real parts a test JVM shares: one Kafka broker (its own JVM, bound to this one), one PostgreSQL and one
 * SMTP server, each started on first use on free ports and stopped when the JVM exits.
 *
 * <p>Quarkus may load this class in more than one class loader during a test run, so the started parts are
 * recorded in system properties (JVM-wide), never only in static fields: whichever loader asks second gets
 * the same broker, not a second one. Everything lives under {@code target/test-stack}; data is deleted at exit.
 */
public final class TestStack {

    private static final String KAFKA = "paperwire-test.kafka.bootstrap";
    private static final String PG_URL = "paperwire-test.postgres.url";
    private static final String PG_USER = "paperwire-test.postgres.user";
    private static final String PG_PASSWORD = "paperwire-test.postgres.password";
    private static final String PG_PORT = "paperwire-test.postgres.port";
    private static final String SMTP_PORT = "paperwire-test.smtp.port";
    private static final String MAIL_API = "paperwire-test.mail.api";

    private TestStack() {
    }

    /** Bootstrap servers of the shared broker, with the topic catalogue created. */
    public static String kafkaBootstrapServers() {
        synchronized (System.getProperties()) {
            String existing = System.getProperty(KAFKA);
            if (existing != null) {
                return existing;
            }
            Path dir = runDir();
            int clients;
            int controller;
            try (Ports.Reservation ports = Ports.reserve()) {
                clients = ports.one();
                controller = ports.one();
            }
            KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), clients, controller,
                    dir.resolve("kafka.log"), true, Duration.ofSeconds(120));
            onExit(() -> {
                broker.close();
                deleteTree(dir.resolve("kafka"));
            });
            TopicCatalogue.ensure(broker.bootstrapServers(), (short) 1);
            System.setProperty(KAFKA, broker.bootstrapServers());
            return broker.bootstrapServers();
        }
    }

    /** JDBC URL, user and password of a database owned by a password-authenticated role. */
    public static Database postgres() {
        synchronized (System.getProperties()) {
            if (System.getProperty(PG_URL) == null) {
                Path dir = runDir().resolve("postgres");
                Postgres pg = Postgres.start(dir, Ports.free());
                onExit(() -> {
                    pg.close();
                    deleteTree(dir);
                });
                String password = UUID.randomUUID().toString();
                pg.ensureDatabase("paperwire", "paperwire", password);
                System.setProperty(PG_PORT, String.valueOf(pg.port()));
                System.setProperty(PG_USER, "paperwire");
                System.setProperty(PG_PASSWORD, password);
                System.setProperty(PG_URL, pg.jdbcUrl("paperwire"));
            }
            return new Database(System.getProperty(PG_URL), System.getProperty(PG_USER),
                    System.getProperty(PG_PASSWORD), Integer.parseInt(System.getProperty(PG_PORT)));
        }
    }

    /** The shared SMTP server and the mailbox that reads what it received. */
    public static TestMailbox mail() {
        synchronized (System.getProperties()) {
            if (System.getProperty(MAIL_API) == null) {
                int smtp;
                int api;
                try (Ports.Reservation ports = Ports.reserve()) {
                    smtp = ports.one();
                    api = ports.one();
                }
                MailServer mail = MailServer.start(smtp, api);
                onExit(mail::close);
                System.setProperty(SMTP_PORT, String.valueOf(mail.smtpPort()));
                System.setProperty(MAIL_API, mail.apiUrl());
            }
            return new TestMailbox(Integer.parseInt(System.getProperty(SMTP_PORT)), System.getProperty(MAIL_API));
        }
    }

    /** Coordinates of the shared database. */
    public record Database(String jdbcUrl, String user, String password, int port) {
    }

    private static Path runDir() {
        try {
            return Files.createDirectories(Path.of("target", "test-stack", String.valueOf(ProcessHandle.current().pid()))
                    .toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void onExit(Runnable r) {
        Runtime.getRuntime().addShutdownHook(new Thread(r, "paperwire-test-stack-stop"));
    }

    static void deleteTree(Path root) {
        try {
            StackFiles.deleteTree(root);
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }
}
