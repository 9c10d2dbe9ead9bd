package dev.llmplan.planfile;

import java.util.List;

/** One parsed plan file: its name as given (for messages) and its entries in file order. */
public record PlanFile(String file, List<PlanEntry> entries) {
    public PlanFile {
        entries = List.copyOf(entries);
    }
}
