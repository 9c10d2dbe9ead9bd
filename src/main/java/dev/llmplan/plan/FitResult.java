package dev.llmplan.plan;

import dev.llmplan.engine.Estimate;

import java.util.List;

/**
 * An estimate placed on concrete hardware: per-card loads and the overall verdict.
 * {@code kind} is the strategy used; {@code blocker} says why the strategy cannot run at all
 * (tensor-parallel heads that do not divide), {@code offload} the layers kept in host RAM.
 */
public record FitResult(Estimate estimate, HardwareSpec hardware, List<CardLoad> cards, Verdict verdict, String strategy,
                        Strategy kind, String blocker, OffloadPlan offload, List<String> notes) {
    public FitResult {
        cards = List.copyOf(cards);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public double minHeadroomFraction() {
        return cards.stream().mapToDouble(CardLoad::headroomFraction).min().orElse(0);
    }

    public long maxUsedBytes() {
        return cards.stream().mapToLong(c -> c.used().value()).max().orElse(0);
    }

    /** Replicas serving independently (data-parallel inference); 1 otherwise. */
    public int replicas() {
        return kind == Strategy.DATA && !estimate.workload().mode().isTraining() ? cards.size() : 1;
    }
}
