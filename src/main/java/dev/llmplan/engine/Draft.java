package dev.llmplan.engine;

/**
 * The draft model of speculative decoding (vLLM {@code speculative_config} with a draft model,
 * llama.cpp {@code --model-draft}): a smaller model of the same vocabulary that proposes
 * {@link #TOKENS} tokens the target checks in one pass.
 *
 * @param model      the draft model
 * @param format     its weights format
 * @param acceptance the chance that the target accepts one proposed token (0..1), or null when unknown
 */
public record Draft(ModelSpec model, WeightFormat format, Double acceptance) {
    /**
     * Tokens proposed per target pass: 5, the num_speculative_tokens of vLLM's draft-model example ("speculating
     * 5 tokens at a time", docs/features/speculative_decoding/draft_model.md; the same in the 0.5 to 0.6 docs).
     */
    public static final int TOKENS = 5;

    public Draft {
        if (model == null || format == null) {
            throw new IllegalArgumentException("a draft needs a model and a format");
        }
        if (acceptance != null && (acceptance < 0 || acceptance > 1)) {
            throw LlmplanException.invalid("{draftAcceptance} must be between 0 and 1, got " + acceptance);
        }
    }
}
