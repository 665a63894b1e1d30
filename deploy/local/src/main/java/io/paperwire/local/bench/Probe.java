package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/** A scenario's CPU seconds per part and its most expensive statements, for the report's {@code profile}. */
record Probe(CpuMeter cpu, StatementProfile statements, PrintStream out) {
    ObjectNode stop(String... databases) {
        ObjectNode p = BenchPart.JSON.createObjectNode();
        ObjectNode cpuSeconds = p.putObject("cpu_seconds");
        cpu.stop().forEach(cpuSeconds::put);
        out.println("  cpu seconds: " + cpuSeconds);
        ObjectNode threads = p.putObject("jvm_threads_cpu_seconds");
        cpu.threadsSinceStart().forEach((svc, groups) -> {
            ObjectNode g = threads.putObject(svc);
            groups.forEach(g::put);
        });
        p.set("top_statements", statements.top(8, databases));
        return p;
    }
}
