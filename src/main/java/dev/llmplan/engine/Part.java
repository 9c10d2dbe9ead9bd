package dev.llmplan.engine;

/**
 * One computed piece of memory. {@code perGpu} parts are paid by every GPU (CUDA context,
 * replicated activations); the others are split across GPUs (weights by layer or tensor shards).
 * {@code formula} shows the arithmetic with numbers; {@code source} where it comes from.
 */
public record Part(Component component, Bytes bytes, boolean perGpu, String formula, String source) {
    public static Part split(Component c, Bytes b, String formula, String source) {
        return new Part(c, b, false, formula, source);
    }

    public static Part perGpu(Component c, Bytes b, String formula, String source) {
        return new Part(c, b, true, formula, source);
    }
}
