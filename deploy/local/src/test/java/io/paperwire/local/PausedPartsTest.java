package io.paperwire.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench holds parts still for a round and must always let them go again; a part not running is skipped. */
class PausedPartsTest {

    @TempDir
    Path pids;

    @Test
    void aRunningPartIsStoppedWhilePausedAndRunsAgainAfter() throws Exception {
        // A stand-in part: a shell whose command line carries the part marker, as the services' do.
        Process part = new ProcessBuilder("bash", "-c", "while true; do sleep 0.1; done", Processes.PART_PROPERTY + "probe").start();
        try {
            Processes processes = new Processes(pids);
            processes.record("probe", part.pid());
            try (PausedParts paused = PausedParts.pause(processes, "probe", "not-running")) {
                assertThat(paused.count()).as("parts held still").isEqualTo(1);
                awaitState(part.pid(), 'T');
            }
            awaitState(part.pid(), 'S', 'R');
        } finally {
            part.destroyForcibly();
        }
    }

    /** Waits (bounded) until /proc reports one of {@code states} for {@code pid}: T stopped, S sleeping, R running. */
    private static void awaitState(long pid, char... states) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        char state = '?';
        while (Instant.now().isBefore(deadline)) {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            state = stat.charAt(stat.lastIndexOf(')') + 2);
            for (char wanted : states) {
                if (state == wanted) {
                    return;
                }
            }
            Thread.sleep(10); // polling for a state the kernel sets on signal delivery (bounded by the deadline)
        }
        assertThat(state).as("state of %d", pid).isIn(toObjects(states));
    }

    private static Object[] toObjects(char[] states) {
        Object[] out = new Object[states.length];
        for (int i = 0; i < states.length; i++) {
            out[i] = states[i];
        }
        return out;
    }
}
