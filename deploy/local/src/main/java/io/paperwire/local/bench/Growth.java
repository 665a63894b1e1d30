package io.paperwire.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A throughput scenario measured at several sizes: each size's rate, baselines and CPU per unit of work, and how
 * the largest size compares with the smallest. The scenario's own fields are the largest size's.
 */
final class Growth {
    private final String unit;
    private final ArrayNode sizes = BenchPart.JSON.createArrayNode();

    Growth(String unit) {
        this.unit = unit;
    }

    void add(ObjectNode scenario, int n) {
        ObjectNode g = sizes.addObject();
        g.put(unit, n).put("rate", scenario.path("rate").asDouble());
        g.set("baselines", scenario.path("baselines").deepCopy());
        double cpu = 0;
        for (JsonNode seconds : scenario.path("profile").path("cpu_seconds")) {
            cpu += seconds.asDouble();
        }
        g.put("cpu_ms_per_unit", BenchPart.round(cpu * 1000 / n));
    }

    ObjectNode into(ObjectNode scenario) {
        scenario.set("sizes", sizes);
        if (sizes.size() > 1) {
            JsonNode small = sizes.get(0);
            JsonNode large = sizes.get(sizes.size() - 1);
            ObjectNode summary = scenario.putObject("growth");
            summary.put("work", large.path(unit).asDouble() / small.path(unit).asDouble());
            summary.put("rate", BenchPart.round(large.path("rate").asDouble() / small.path("rate").asDouble()));
            summary.put("cpu_per_unit", BenchPart.round(large.path("cpu_ms_per_unit").asDouble() / small.path("cpu_ms_per_unit").asDouble()));
            ObjectNode baselines = summary.putObject("baselines");
            small.path("baselines").fieldNames().forEachRemaining(b -> baselines.put(b,
                    BenchPart.round(large.path("baselines").path(b).asDouble() / small.path("baselines").path(b).asDouble())));
        }
        return scenario;
    }
}
