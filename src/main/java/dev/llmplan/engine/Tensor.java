package dev.llmplan.engine;

/**
 * A group of weights with one role in one layer ({@code layer} is -1 outside the blocks).
 * {@code params} counts elements; for MoE it covers all experts of that layer.
 */
public record Tensor(TensorRole role, int layer, long params, boolean expert) {
    public Tensor {
        if (params < 0) {
            throw new IllegalArgumentException("negative parameter count for " + role);
        }
    }
}
