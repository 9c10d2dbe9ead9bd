package dev.llmplan.engine;

/** What a weight tensor does; quantisation formats keep some roles at higher precision. */
public enum TensorRole {
    TOKEN_EMBEDDING,
    POSITION_EMBEDDING,
    OUTPUT_HEAD,
    ATTN_Q,
    ATTN_K,
    ATTN_V,
    ATTN_OUTPUT,
    FFN_UP,
    FFN_GATE,
    FFN_DOWN,
    ROUTER,
    NORM,
    /** Parameters the architecture fields do not explain (biases, adapters, vision towers). */
    OTHER;

    public boolean isEmbeddingOrHead() {
        return this == TOKEN_EMBEDDING || this == POSITION_EMBEDDING || this == OUTPUT_HEAD;
    }

    /** Attention and MLP projections (the MoE router is a matrix too, but not one of these). */
    public boolean isProjection() {
        return switch (this) {
            case ATTN_Q, ATTN_K, ATTN_V, ATTN_OUTPUT, FFN_UP, FFN_GATE, FFN_DOWN -> true;
            default -> false;
        };
    }
}
