package io.paperwire.local;

import io.paperwire.stack.MailServer;
import io.paperwire.stack.Postgres;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the local stack's PostgreSQL and SMTP JVMs: starts the part and holds it until SIGTERM,
 * when a shutdown hook stops it cleanly (PostgreSQL with a fast shutdown, so no data is lost).
 */
public final class PartMain {

    private PartMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        AutoCloseable part = switch (args.length > 0 ? args[0] : "") {
            case "postgres" -> Postgres.start(Path.of(args[1]), Integer.parseInt(args[2]));
            case "smtp" -> MailServer.start(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            default -> {
                System.err.println("usage: PartMain postgres <dataDir> <port> | smtp <smtpPort> <apiPort>");
                System.exit(2);
                yield null;
            }
        };
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("stopping " + args[0] + " failed: " + e);
            }
            stopped.countDown();
        }, "stop-" + args[0]));
        System.out.println(args[0] + " ready");
        stopped.await();
    }
}
