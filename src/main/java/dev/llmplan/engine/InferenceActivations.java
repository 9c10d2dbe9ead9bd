package dev.llmplan.engine;

import java.util.Locale;

/**
 * Peak activation / compute-buffer memory of one forward pass, per runtime. Only one layer's
 * intermediates are alive at a time; the peak is the larger of the attention and MLP phases
 * plus the hidden states, plus the logits.
 */
final class InferenceActivations {
    private InferenceActivations() {
    }

    record Result(Bytes bytes, String formula, String source) {
    }

    static Result compute(ModelSpec model, Runtime runtime, int context, int batch, boolean flash, int computeBytes) {
        Architecture a = model.arch();
        if (a.hidden() == null) {
            return new Result(Bytes.ZERO, "architecture unknown: activations not estimated", "");
        }
        return switch (runtime) {
            case LLAMA_CPP -> llamaCpp(a, context, batch, flash);
            case VLLM -> vllm(a, context, computeBytes);
            case TRANSFORMERS, GENERIC -> transformers(a, context, batch, flash, computeBytes);
        };
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

    private static long vocab(Architecture a) {
        return a.vocab() == null ? 0 : a.vocab();
    }

    /**
     * transformers generate(): prefill of the whole prompt. Hidden states (4 x b·s·h), the MLP
     * intermediate (gate, up and their product for gated MLPs), eager attention's scores in the
     * compute dtype plus the fp32 softmax copy (modeling_llama eager_attention_forward), and fp32
     * logits for the last position only (generate's logits_to_keep, transformers >= 4.45).
     */
    private static Result transformers(Architecture a, int s, int b, boolean flash, int c) {
        double h = a.hidden();
        int matrices = a.ffnType() == null ? 2 : a.ffnType().matrices();
        double hiddenStates = 4.0 * b * s * h * c;
        double mlp = (double) b * s * mlpWidth(a) * matrices * c;
        int heads = a.heads() == null ? 1 : a.heads();
        double attention = flash ? 0 : (double) b * heads * s * s * (c + 4);
        double logits = (double) b * vocab(a) * 4;
        double total = hiddenStates + Math.max(mlp, attention) + logits;
        String f = String.format(Locale.ROOT,
                "hidden 4 x %d x %d x %.0f x %d B + max(MLP %d x %d x %d x %d x %d B, attention %s) + logits %d x %d x 4 B",
                b, s, h, c, b, s, mlpWidth(a), matrices, c,
                flash ? "0 (FlashAttention/SDPA)" : String.format(Locale.ROOT, "%d x %d heads x %d^2 x %d B", b, heads, s, c + 4),
                b, vocab(a));
        return new Result(Bytes.ofDouble(total), f,
                "transformers modeling_llama (eager_attention_forward, fp32 softmax; logits_to_keep in generate)");
    }

    /**
     * vLLM profiles one forward pass of max_num_batched_tokens = max(max_model_len, 2048) tokens
     * (SchedulerConfig without chunked prefill): per token the fused gate_up output and the
     * activation (3 x intermediate) and three hidden-size buffers, plus the sampler's fp32 logits,
     * probabilities and log-probabilities (softmax and log_softmax in vLLM's Sampler) for
     * max_num_seqs sampled positions.
     */
    private static Result vllm(Architecture a, int context, int c) {
        long tokens = Math.max(context, 2048);
        double perToken = (3.0 * mlpWidth(a) + 3.0 * a.hidden()) * c;
        long sampled = Math.min(tokens, Runtime.VLLM_MAX_NUM_SEQS);
        double logits = (double) sampled * vocab(a) * 4 * 3;
        double total = tokens * perToken + logits;
        String f = String.format(Locale.ROOT,
                "%d profiled tokens x (3 x %d MLP + 3 x %d hidden) x %d B + %d sampled x %d vocab x 4 B x 3",
                tokens, mlpWidth(a), a.hidden(), c, sampled, vocab(a));
        return new Result(Bytes.ofDouble(total), f,
                "vLLM worker profile_run (max_num_batched_tokens, max_num_seqs = 256)");
    }

    /**
     * llama.cpp's compute buffer is sized by ggml-alloc for the worst graph of one micro-batch
     * (n_ubatch = 512): either the attention phase (fp32 KQ scores over the whole KV length for all
     * heads, unless flash attention) with the MLP intermediate, or the output phase (fp32 logits
     * for the micro-batch).
     */
    private static Result llamaCpp(Architecture a, int context, int batch, boolean flash) {
        long kvTokens = (long) context * batch;
        long ub = Math.min(Runtime.LLAMA_CPP_N_UBATCH, kvTokens);
        double h = a.hidden();
        int heads = a.heads() == null ? 1 : a.heads();
        double scores = flash ? 0 : (double) ub * kvTokens * heads * 4;
        double attentionPhase = scores + ub * (mlpWidth(a) + 2 * h) * 4;
        double outputPhase = (double) ub * vocab(a) * 4 + ub * h * 4;
        double total = Math.max(attentionPhase, outputPhase);
        String f = String.format(Locale.ROOT,
                "max(attention: %d ubatch x %d kv x %d heads x 4 B%s + %d x (%d + 2 x %.0f) x 4 B, output: %d x %d vocab x 4 B + %d x %.0f x 4 B)",
                ub, kvTokens, heads, flash ? " (0 with flash attention)" : "", ub, mlpWidth(a), h, ub, vocab(a), ub, h);
        return new Result(Bytes.ofDouble(total), f, "llama.cpp ggml-alloc compute buffer (llama_new_context_with_model)");
    }
}
