package dev.llmplan.plan;

import java.util.List;

/**
 * The ranked configurations (already cut to --top), how many were tried and fitted, and, when
 * none fits, what would: a smaller format, a shorter context, or offload.
 */
public record RecommendResult(List<Recommendation> rows, int considered, int fitting, int shown,
                              List<String> suggestions, List<String> notes) {
    public RecommendResult {
        rows = List.copyOf(rows);
        suggestions = List.copyOf(suggestions);
        notes = List.copyOf(notes);
    }
}
