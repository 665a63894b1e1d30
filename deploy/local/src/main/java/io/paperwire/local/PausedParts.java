package io.paperwire.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Parts of the local stack held still (SIGSTOP) for the length of a measurement and resumed (SIGCONT) on close, so
 * that a scenario compared with a baseline that runs alone (Kafka's producer tool) runs alone too, not sharing the two
 * cores with the consumers of what it produces. A shutdown hook resumes them if the bench is interrupted.
 */
public final class PausedParts implements AutoCloseable {

    private final List<Long> pids = new ArrayList<>();
    private final Thread resumeOnExit = new Thread(this::resumeQuietly, "resume-paused-parts");

    private PausedParts() {
    }

    /** Stops each running part of {@code names}; parts that are not running are skipped. */
    public static PausedParts pause(Processes processes, String... names) throws IOException, InterruptedException {
        PausedParts paused = new PausedParts();
        Runtime.getRuntime().addShutdownHook(paused.resumeOnExit);
        try {
            for (String name : names) {
                var handle = processes.running(name);
                if (handle.isPresent()) {
                    paused.pids.add(handle.get().pid());
                    signal("STOP", handle.get().pid());
                }
            }
        } catch (IOException | InterruptedException e) {
            paused.close(); // the parts already held still must not stay so until the launcher exits
            throw e;
        }
        return paused;
    }

    /** The pids held still, for the report. */
    public int count() {
        return pids.size();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (long pid : pids) {
            signal("CONT", pid);
        }
        pids.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(resumeOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it resumes nothing more, the list is empty
        }
    }

    private void resumeQuietly() {
        try {
            close();
        } catch (IOException | InterruptedException e) {
            System.err.println("could not resume " + pids + " (kill -CONT them): " + e.getMessage());
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed: " + new String(kill.getInputStream().readAllBytes()));
        }
    }
}
