package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paperwire.local.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Each service's peak resident memory (reported after every scenario, to tell which one set the peak, and at the end).
 * The peaks of a process the bench restarted (the backfill restarts ingest with its source) are kept.
 */
final class PeakMemory extends BenchPart {

    private final java.util.Map<String, Double> peaks = new java.util.HashMap<>();

    PeakMemory(Context context) {
        super(context);
    }

    /** Each service's peak resident memory so far (VmHWM), in MB. */
    ObjectNode rss() throws Exception {
        ObjectNode s = JSON.createObjectNode();
        Processes processes = new Processes(config.pids());
        for (String svc : List.of("ingest", "dedup", "notify")) {
            var handle = processes.running(svc);
            if (handle.isEmpty()) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(handle.get().pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    s.put(svc, peaks.merge(svc, round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0), Math::max));
                }
            }
        }
        out.println("rss_mb (peak): " + s);
        return s;
    }
}
