package dev.llmplan.engine;


/** Trainable parameters of the prompt-learning PEFT methods (PEFT's PromptLearningConfig family). */
final class PeftParams {
    private PeftParams() {
    }

    /** Soft tokens when none are given: the num_virtual_tokens of PEFT's prompt-learning examples. */
    static final int DEFAULT_VIRTUAL_TOKENS = 20;

    record Result(long params, String formula, String source) {
    }

    static Result of(Mode mode, Architecture a, int virtualTokens) {
        long h = a.hidden();
        int n = virtualTokens;
        return switch (mode) {
            case PROMPT -> new Result((long) n * h, Fmt.format("%d virtual tokens x %d hidden", n, h),
                    "Lester et al. 2021 (prompt tuning); PEFT PromptEmbedding");
            case PREFIX -> {
                // PEFT PrefixEncoder without projection: Embedding(n, layers x 2 x token_dim); the key/value
                // width is kv_heads x head_dim (the hidden size for multi-head attention).
                long kvWidth = (long) (a.effectiveKvHeads() == null ? a.heads() : a.effectiveKvHeads()) * a.effectiveHeadDim();
                int layers = a.cachingLayers();
                yield new Result((long) n * layers * 2 * kvWidth,
                        Fmt.format("%d virtual tokens x %d layers x 2 (key, value) x %d", n, layers, kvWidth),
                        "Li & Liang 2021 (prefix tuning); PEFT PrefixEncoder (prefix_projection=False)");
            }
            case P_TUNING -> {
                // PEFT PromptEncoder (MLP): Embedding(n, h) + Linear(h,h) + Linear(h,h) + Linear(h,h), biases included;
                // encoder_hidden_size defaults to the token dimension.
                long mlp = 3 * (h * h + h);
                yield new Result((long) n * h + mlp,
                        Fmt.format("%d virtual tokens x %d + MLP encoder 3 x (%d^2 + %d)", n, h, h, h),
                        "Liu et al. 2021 (GPT Understands, Too); PEFT PromptEncoder (MLP reparameterisation)");
            }
            default -> throw new IllegalArgumentException(mode.id() + " is not a prompt-learning method");
        };
    }
}
