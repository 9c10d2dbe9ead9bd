package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.ErrorBands;

/**
 * Placement choices beyond the workload: the strategy (null chooses by runtime and mode), the
 * memory each card keeps for the runtime (null: the runtime's own overhead), host RAM for layer
 * offload (null: no offload), the layers to keep on the GPUs (null: all that fit; llama.cpp's
 * {@code -ngl}), the headroom policy, and where the error bands come from.
 */
public record PlanOptions(Strategy strategy, Bytes reserve, Bytes hostRam, Integer gpuLayers, HeadroomPolicy policy,
                          ErrorBands bands) {
    public static final PlanOptions AUTO = new PlanOptions(null, null, null);

    public PlanOptions {
        policy = policy == null ? HeadroomPolicy.DEFAULT : policy;
        bands = bands == null ? ErrorBands.NONE : bands;
    }

    public PlanOptions(Strategy strategy, Bytes reserve, Bytes hostRam) {
        this(strategy, reserve, hostRam, null, null, null);
    }

    public PlanOptions withStrategy(Strategy s) {
        return new PlanOptions(s, reserve, hostRam, gpuLayers, policy, bands);
    }

    public PlanOptions withRam(Bytes ram) {
        return new PlanOptions(strategy, reserve, ram, gpuLayers, policy, bands);
    }

    public PlanOptions withGpuLayers(Integer n) {
        return new PlanOptions(strategy, reserve, hostRam, n, policy, bands);
    }

    public PlanOptions withBands(ErrorBands b) {
        return new PlanOptions(strategy, reserve, hostRam, gpuLayers, policy, b);
    }
}
