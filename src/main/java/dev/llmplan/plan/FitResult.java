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

    // Loops rather than streams: these run for every candidate placed at start-up (README "Start-up").
    public double minHeadroomFraction() {
        double min = 0;
        for (int i = 0; i < cards.size(); i++) {
            double h = cards.get(i).headroomFraction();
            min = i == 0 ? h : Math.min(min, h);
        }
        return min;
    }

    public long maxUsedBytes() {
        long max = 0;
        for (int i = 0; i < cards.size(); i++) {
            long used = cards.get(i).used().value();
            max = i == 0 ? used : Math.max(max, used);
        }
        return max;
    }

    /** Replicas serving independently (data-parallel inference); 1 otherwise. */
    public int replicas() {
        return kind == Strategy.DATA && !estimate.workload().mode().isTraining() ? cards.size() : 1;
    }
}
