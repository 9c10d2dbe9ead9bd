package dev.llmplan.planfile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One named deployment or training job of a plan file, still as text: the model name, the settings of
 * its workload and hardware sections by key, and the requirements. Every value keeps its line so later
 * checks (unknown model, bad option value) can point at it.
 */
public record PlanEntry(String file, int line, String name, String description, Value model,
                        Map<String, Value> settings, Requirements requirements) {
    public PlanEntry {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings)); // keeps file order
    }

    /** A scalar from the file, as text, with the line of its key. */
    public record Value(String text, int line) {
    }

    /** The hardware the entry runs on ({@code hardware.gpu}), or null when missing. */
    public Value gpu() {
        return settings.get("gpu");
    }
}
