package dev.llmplan.plan;

import dev.llmplan.engine.Estimate;

import java.util.List;

/** An estimate placed on concrete hardware: per-card loads and the overall verdict. */
public record FitResult(Estimate estimate, HardwareSpec hardware, List<CardLoad> cards, Verdict verdict, String strategy) {
    public FitResult {
        cards = List.copyOf(cards);
    }

    public double minHeadroomFraction() {
        return cards.stream().mapToDouble(CardLoad::headroomFraction).min().orElse(0);
    }

    public long maxUsedBytes() {
        return cards.stream().mapToLong(c -> c.used().value()).max().orElse(0);
    }
}
