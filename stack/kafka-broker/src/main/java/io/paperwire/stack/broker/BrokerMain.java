package io.paperwire.stack.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Entry point of the broker JVM: formats the KRaft log directory on first start, then runs Kafka.
 *
 * <p>Usage: {@code BrokerMain <server.properties> <clusterId> [parentPid]}. With a parent pid the broker
 * exits as soon as that process is gone, so a test JVM that dies hard never leaves a broker behind.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BrokerMain <server.properties> <clusterId> [parentPid]");
            System.exit(2);
        }
        Path config = Path.of(args[0]);
        String clusterId = args[1];
        if (args.length > 2) {
            watchParent(Long.parseLong(args[2]));
        }
        Path logDir = Path.of(load(config).getProperty("log.dirs"));
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            // Same as `kafka-storage.sh format -t <id> -c <config>`, without its System.exit.
            int rc = kafka.tools.StorageTool$.MODULE$.execute(
                    new String[] {"format", "--cluster-id=" + clusterId, "--config=" + config, "--ignore-formatted"},
                    System.out);
            if (rc != 0) {
                System.err.println("formatting the KRaft log directory " + logDir + " failed (" + rc + ")");
                System.exit(rc);
            }
        }
        kafka.Kafka.main(new String[] {config.toString()});
    }

    private static Properties load(Path config) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(config)) {
            p.load(in);
        }
        return p;
    }

    private static void watchParent(long parentPid) {
        Thread watchdog = new Thread(() -> {
            var parent = ProcessHandle.of(parentPid);
            if (parent.isEmpty()) {
                Runtime.getRuntime().halt(3);
            }
            parent.get().onExit().join();
            // The owner is gone: a clean shutdown through the broker's own hook, bounded by halt.
            Thread halter = new Thread(() -> {
                try {
                    Thread.sleep(15_000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(4);
            });
            halter.setDaemon(true);
            halter.start();
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
