package io.paperwire.local;

import io.paperwire.stack.MailServer;
import io.paperwire.stack.Postgres;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the local stack's PostgreSQL and SMTP JVMs: starts the part and holds it until SIGTERM,
 * when a shutdown hook stops it cleanly (PostgreSQL with a fast shutdown, so no data is lost). The PostgreSQL holder
 * also watches its server and exits when the server is gone (killed, or shut down behind its back), so that the
 * holder never claims a part that is not there and the next {@code up} starts it again.
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
        if (part instanceof Postgres pg) {
            pg.postmaster().ifPresent(server -> server.onExit().thenRun(() -> {
                System.err.println("the PostgreSQL server (pid " + server.pid() + ") is gone; its holder exits too");
                Runtime.getRuntime().halt(3); // no shutdown hook: there is no server left to stop
            }));
        }
        stopped.await();
    }
}
