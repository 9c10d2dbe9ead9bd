package dev.llmplan.plan;

/** One ranked configuration: where it fits, how fast, and what it costs (null: price unknown). */
public record Recommendation(FitResult fit, Speed speed, Double costUsd, String costBasis) {
    public boolean training() {
        return fit.estimate().workload().mode().isTraining();
    }

    public Double speedValue() {
        return speed.rankValue(training());
    }
}
