package dev.llmplan.engine;

import java.util.Set;

/**
 * Activations saved for the backward pass, per GPU, after Korthikanti et al. 2022 ("Reducing
 * Activation Recomputation in Large Transformer Models", §4.1): per layer s·b·h·(34 + 5·a·s/h)
 * bytes for a GPT block with 16-bit activations. The 34 is rebuilt from the block's real widths
 * (bytes per token, 16-bit):
 * <ul>
 * <li>two norm inputs 2·2h (always: a norm's backward needs its input);</li>
 * <li>attention: its input 2h (only if q/k/v are trained: a frozen linear keeps no input),
 *     Q 2·a·d, K and V 2·2·kv·d (GQA shrinks these), the attention output 2·a·d (FlashAttention
 *     saves it; otherwise only if o_proj is trained);</li>
 * <li>MLP: its input 2h (if up/gate are trained); plain: activation input 2f and down_proj input 2f;
 *     gated (SwiGLU): gate, up and act(gate) 3·2f plus down_proj input 2f (if trained);</li>
 * <li>without FlashAttention the attention core 5·a·s bytes per token (softmax 2, dropout mask 1,
 *     dropout output 2); FlashAttention keeps only a per-head logsumexp.</li>
 * </ul>
 * Dropout masks on the hidden states (Korthikanti's 2 of the 34) are left out: current LLMs
 * fine-tune with dropout 0. For MHA with f = 4h this gives 32h, i.e. 34 less the masks.
 */
final class TrainingActivations {
    private TrainingActivations() {
    }

    record Result(Bytes bytes, String formula, String source) {
    }

    static final String SOURCE = "Korthikanti et al. 2022, Reducing Activation Recomputation in Large Transformer Models §4";

    /**
     * The loss at the start of backward: three fp32 tensors of b·s·vocab are alive, the saved
     * log-probabilities, their gradient and the gradient of the logits (transformers ForCausalLMLoss
     * upcasts the logits, loss/loss_utils.py; cross_entropy = log_softmax + nll_loss), 4 + 4 + 4 bytes.
     */
    static final int LOGIT_BYTES = 12;

    /**
     * @param kept   linear groups whose inputs are saved (trainable weights, or bitsandbytes 4/8-bit layers,
     *               which save their input whenever it requires grad)
     * @param c      bytes per saved activation element (2 in 16-bit training, 4 in fp32)
     */
    static Result compute(Architecture a, ModelType type, int s, int b, boolean flash,
                          TrainingOptions.Checkpointing ckpt, Set<LinearModules.Group> kept, int c, boolean logits) {
        if (a.hidden() == null || a.heads() == null || a.effectiveHeadDim() == null) {
            return new Result(Bytes.ZERO, "architecture unknown: activations not estimated", "");
        }
        long h = a.hidden();
        long heads = a.heads();
        long d = a.effectiveHeadDim();
        long kv = a.isMla() ? heads : (a.effectiveKvHeads() == null ? heads : a.effectiveKvHeads());
        long f = InferenceActivations.mlpWidth(a);
        boolean gated = a.ffnType() != null && a.ffnType().matrices() == 3;

        // Elements saved per token per layer (multiply by c for bytes).
        long attention = heads * d + 2 * kv * d
                + (kept.contains(LinearModules.Group.ATTN_IN) ? h : 0)
                + (flash || kept.contains(LinearModules.Group.ATTN_OUT) ? heads * d : 0);
        long mlp = (gated ? 3 * f : f)
                + (kept.contains(LinearModules.Group.MLP_IN) ? h : 0)
                + (kept.contains(LinearModules.Group.MLP_OUT) ? f : 0);
        long norms = 2 * h;
        int layers = a.totalLayers();
        int crossLayers = type == ModelType.ENCODER_DECODER && a.decoderLayers() != null ? a.decoderLayers() : 0;
        double tokens = (double) s * b;
        double perLayer = tokens * (attention + mlp + norms) * c;
        double crossExtra = tokens * attention * c;
        // Korthikanti's 5·a·s²·b attention-core bytes (16-bit), scaled for fp32 activations.
        double scores = flash ? 0 : 5.0 * heads * s * (double) s * b * c / 2;
        double stack = switch (ckpt) {
            case NONE -> layers * (perLayer + scores) + crossLayers * (crossExtra + scores);
            case SELECTIVE -> layers * perLayer + crossLayers * crossExtra + scores;
            case FULL -> layers * tokens * h * c + perLayer + crossExtra * Math.min(1, crossLayers) + scores;
        };
        long vocab = a.vocab() == null ? 0 : a.vocab();
        double head = tokens * 2 * h * c;
        double logitBytes = logits ? tokens * vocab * LOGIT_BYTES : 0;
        double total = stack + head + logitBytes;

        String layerText = Fmt.format("%d x %d tokens x (attention %d + MLP %d + norms %d) x %d B", layers, (long) tokens, attention, mlp, norms, c);
        String stackText = switch (ckpt) {
            case NONE -> layerText + (flash ? "" : Fmt.format(" + %d x 5 x %d heads x %d^2 x %d x %d/2 B scores",
                    layers, heads, s, b, c));
            case SELECTIVE -> layerText + " (attention core recomputed: selective checkpointing)";
            case FULL -> Fmt.format("full checkpointing: %d layer inputs x %d tokens x %d x %d B + one layer recomputed (%s)",
                    layers, (long) tokens, h, c, Fmt.format("%.0f B", perLayer + scores));
        };
        String f1 = stackText + (crossLayers > 0 ? " + cross-attention in " + crossLayers + " decoder layers" : "")
                + Fmt.format(" + final norm/head inputs 2 x %d x %d x %d B", (long) tokens, h, c)
                + (logits ? Fmt.format(" + logits %d x %d vocab x %d B (fp32 logits and their gradient)",
                (long) tokens, vocab, LOGIT_BYTES) : "");
        return new Result(Bytes.ofDouble(total), f1, SOURCE + "; widths from the architecture"
                + (flash ? "; FlashAttention/SDPA keeps no s^2 scores" : ""));
    }
}
