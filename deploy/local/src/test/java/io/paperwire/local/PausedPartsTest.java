package io.paperwire.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
                // T: stopped by a signal (the kernel sets it on delivery)
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(state(part.pid())).isEqualTo('T'));
            }
            // S or R: sleeping or running again
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(state(part.pid())).isIn('S', 'R'));
        } finally {
            part.destroyForcibly();
        }
    }

    /** The process state letter of /proc/PID/stat. */
    private static char state(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }
}
