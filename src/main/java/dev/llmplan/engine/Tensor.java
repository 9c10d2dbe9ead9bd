package dev.llmplan.engine;

/**
 * One weight tensor, named by its Hugging Face module ({@code q_proj}, {@code gate_proj},
 * {@code kv_b_proj}, {@code embed_tokens}, {@code lm_head}, ...). A matrix is {@code copies}
 * stacked {@code dIn x dOut} matrices (the experts of an MoE layer); a vector (norms) or an opaque
 * block has {@code dIn = dOut = 0}. {@code layer} is -1 outside the blocks; {@code expert} marks
 * routed experts (only some run per token); {@code params} counts the elements of all copies.
 */
public record Tensor(String module, TensorRole role, int layer, long dIn, long dOut, long copies, boolean expert,
                     long params) {
    public Tensor {
        if (params < 0 || dIn < 0 || dOut < 0 || copies < 1) {
            throw new IllegalArgumentException("impossible shape for " + module + " (" + role + ")");
        }
        if (isMatrix(dIn, dOut) && params != Math.multiplyExact(copies, Math.multiplyExact(dIn, dOut))) {
            throw new IllegalArgumentException(module + ": " + params + " parameters are not " + copies + " x " + dIn
                    + " x " + dOut);
        }
    }

    /** {@code copies} matrices of {@code dIn x dOut}. */
    public static Tensor matrix(String module, TensorRole role, int layer, long dIn, long dOut, long copies,
                                boolean expert) {
        return new Tensor(module, role, layer, dIn, dOut, copies, expert,
                Math.multiplyExact(copies, Math.multiplyExact(dIn, dOut)));
    }

    /** A vector (or a block of unknown shape) of {@code params} elements. */
    public static Tensor vector(String module, TensorRole role, int layer, long params) {
        return new Tensor(module, role, layer, 0, 0, 1, false, params);
    }

    public boolean isMatrix() {
        return isMatrix(dIn, dOut);
    }

    /** A linear projection of a block: what LoRA adapts and Adafactor factors. */
    public boolean isBlockLinear() {
        return layer >= 0 && isMatrix() && role.isProjection();
    }

    private static boolean isMatrix(long dIn, long dOut) {
        return dIn > 0 || dOut > 0;
    }
}
