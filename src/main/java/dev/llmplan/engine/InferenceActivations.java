package dev.llmplan.engine;

/**
 * Peak activation / compute-buffer memory of one forward pass; each runtime's model is in its
 * profile ({@link Runtime#activations}). Only one layer's intermediates are alive at a time; the
 * peak is the larger of the attention and MLP phases plus the hidden states, plus the logits.
 */
final class InferenceActivations {
    private InferenceActivations() {
    }

    /** The runtime's activations part, or zero when the architecture is unknown. */
    static Part compute(ModelSpec model, Runtime runtime, Workload w, int context) {
        Architecture a = model.arch();
        if (a.hidden() == null) {
            return Part.perGpu(Component.ACTIVATIONS, Bytes.ZERO, "architecture unknown: activations not estimated", "");
        }
        return runtime.activations(a, w, context);
    }

    /** Whether FlashAttention / SDPA kernels are on (the default). */
    static boolean flash(Workload w) {
        return w.flashAttention() == null || w.flashAttention();
    }

    /** Width of the MLP intermediate a token goes through (routed experts run one after another). */
    static long mlpWidth(Architecture a) {
        if (a.isMoe()) {
            long expert = a.expertFfn() != null ? a.expertFfn() : a.ffn() == null ? 4L * a.hidden() : a.ffn();
            long active = a.expertsPerToken() == null ? 1 : a.expertsPerToken();
            long shared = a.sharedExperts() == null ? 0 : a.sharedExperts();
            return expert * (active + shared);
        }
        return a.ffn() != null ? a.ffn() : 4L * a.hidden();
    }

    static long vocab(Architecture a) {
        return a.vocab() == null ? 0 : a.vocab();
    }
}
