package dev.llmplan.engine;

/** Which error band applies to an estimate; the data behind it lives outside the engine. */
@FunctionalInterface
public interface ErrorBands {
    ErrorBands NONE = (e, gpus) -> ErrorBand.NONE;

    /**
     * The band of {@code estimate} run over {@code gpus} GPUs that hold or exchange its memory (one model split over
     * them, or training that synchronises them); 0 for the CPU alone.
     */
    ErrorBand of(Estimate estimate, int gpus);

    /** The band of an estimate over the GPUs it was estimated for. */
    default ErrorBand of(Estimate estimate) {
        return of(estimate, estimate.workload().gpuCount());
    }
}
