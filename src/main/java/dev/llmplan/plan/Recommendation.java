package dev.llmplan.plan;

/**
 * One ranked configuration: where it fits, how fast, and what it costs on the listing's basis (null:
 * unknown, with the reason in {@code costUnknown}).
 */
public record Recommendation(FitResult fit, Speed speed, Double costUsd, CostBasis basis, String costUnknown) {
    public String costBasis() {
        return basis.label();
    }

    public boolean training() {
        return fit.estimate().workload().mode().isTraining();
    }

    public Double speedValue() {
        return speed.rankValue(training());
    }
}
