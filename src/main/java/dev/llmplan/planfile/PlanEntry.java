package dev.llmplan.planfile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One named deployment or training job of a plan file, still as text: the model name, the workload
 * options under the CLI's names (camelCase), the hardware and the requirements. Every value keeps
 * its line so later checks (unknown model, bad option value) can point at it.
 */
public record PlanEntry(String file, int line, String name, String description, Value model,
                        Map<String, Value> workload, Value gpu, Value nodes, Requirements requirements) {
    public PlanEntry {
        workload = Collections.unmodifiableMap(new LinkedHashMap<>(workload)); // keeps file order
    }

    /** A scalar from the file, as text, with the line of its key. */
    public record Value(String text, int line) {
    }

    /** The workload option names a plan entry accepts, in the order the CLI lists them. */
    public static final List<String> WORKLOAD_KEYS = List.of("quant", "groupSize", "mode", "context", "batch", "kvCache",
            "runtime", "flashAttention", "precision", "optimizer", "gradCheckpointing", "loraRank", "loraTargets", "zero",
            "offload", "virtualTokens", "rewardModel", "criticModel");
}
