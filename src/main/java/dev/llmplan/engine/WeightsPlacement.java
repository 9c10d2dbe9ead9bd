package dev.llmplan.engine;

/**
 * Where a runtime keeps the priced weights: {@code gpuBytes} over the GPUs, {@code host} (null
 * when none) in host memory, and {@code note} appended to the weights formula.
 */
public record WeightsPlacement(double gpuBytes, Part host, String note) {
    public static WeightsPlacement onGpu(double bytes) {
        return new WeightsPlacement(bytes, null, "");
    }
}
