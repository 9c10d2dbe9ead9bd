package dev.llmplan.plan;

import dev.llmplan.engine.Price;

/**
 * One ranked configuration: where it fits, how fast, and what it costs on the listing's basis in the
 * listing's currency ({@code cost}; null: unknown, with the reason in {@code costUnknown}). {@code costUsd}
 * is the same cost in USD (the JSON contract's field), whatever currency the listing is in.
 */
public record Recommendation(FitResult fit, Speed speed, Price.Money cost, Double costUsd, CostBasis basis,
                             String costUnknown) {
    public String costBasis() {
        return basis.label();
    }

    /** The amount ranked on, null when unknown. */
    public Double costAmount() {
        return cost == null ? null : cost.amount();
    }

    public boolean training() {
        return fit.estimate().workload().mode().isTraining();
    }

    public Double speedValue() {
        return speed.rankValue(training());
    }
}
