package dev.llmplan.engine;

import java.util.Set;

/**
 * Activations saved for the backward pass, per GPU, after Korthikanti et al. 2022 ("Reducing
 * Activation Recomputation in Large Transformer Models", §4.1): per layer s·b·h·(34 + 5·a·s/h)
 * bytes for a GPT block with 16-bit activations. The 34 is rebuilt from the block's real widths
 * (bytes per token, 16-bit):
 * <ul>
 * <li>two norm inputs (always: a norm's backward needs its input), 2·2h for a fused LayerNorm; an RMSNorm keeps
 *     an fp32 copy, 4 B per element, and its output too when trained ({@link #normBytes});</li>
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
     * @param kept   linear groups whose inputs are saved (trainable weights; a bitsandbytes base goes through
     *               {@link KbitActivations} instead)
     * @param c      bytes per saved activation element (2 in 16-bit training, 4 in fp32)
     */
    static Result compute(Architecture a, ModelType type, int s, int b, boolean flash,
                          TrainingOptions.Checkpointing ckpt, Set<LinearModules.Group> kept, int c, boolean logits) {
        return compute(a, type, s, b, flash, ckpt, kept, c, logits, null, true);
    }

    /**
     * As above, plus the copies LoRA dropout keeps ({@code dropout}, null without dropout); {@code normsTrained}
     * says whether the norm weights are trained (full fine-tuning), which makes an RMSNorm keep its output too.
     */
    static Result compute(Architecture a, ModelType type, int s, int b, boolean flash, TrainingOptions.Checkpointing ckpt,
                          Set<LinearModules.Group> kept, int c, boolean logits, LoraDropout.Result dropout,
                          boolean normsTrained) {
        if (!known(a)) {
            return UNKNOWN;
        }
        Shape x = new Shape(a);
        // Elements saved per token per layer (multiply by c for bytes).
        long attention = x.heads * x.d + 2 * x.kv * x.d
                + (kept.contains(LinearModules.Group.ATTN_IN) ? x.h : 0)
                + (flash || kept.contains(LinearModules.Group.ATTN_OUT) ? x.heads * x.d : 0);
        long mlp = (x.gated ? 3 * x.f : x.f)
                + (kept.contains(LinearModules.Group.MLP_IN) ? x.h : 0)
                + (kept.contains(LinearModules.Group.MLP_OUT) ? x.f : 0);
        int normBytes = normBytes(a, c, normsTrained);
        long norms = 2 * x.h * normBytes;
        Layer layer = new Layer((attention + mlp) * (double) c + norms, attention * (double) c,
                Fmt.format("((attention %d + MLP %d) x %d B + 2 norms x %d x %d B)", attention, mlp, c, x.h, normBytes));
        return assemble(a, type, s, b, flash, ckpt, layer, c, c, logits, dropout, SOURCE);
    }

    /**
     * Bytes a norm keeps per element of its input. A fused LayerNorm (torch native_layer_norm) keeps its input
     * in the activation dtype (and per-row mean and rstd). An RMSNorm as transformers and LitGPT write it
     * (LlamaRMSNorm: hidden_states.to(torch.float32), pow(2).mean, * rsqrt, weight * .to(input_dtype)) keeps the
     * fp32 copy of its input for pow and the product, 4 B, and, when its weight is trained, the normalised
     * output in the activation dtype as well.
     */
    static int normBytes(Architecture a, int c, boolean normsTrained) {
        return a.rmsNorm() ? 4 + (normsTrained ? c : 0) : c;
    }

    /** Whether the shape is known well enough to count activations. */
    static boolean known(Architecture a) {
        return a.hidden() != null && a.heads() != null && a.effectiveHeadDim() != null;
    }

    static final Result UNKNOWN = new Result(Bytes.ZERO, "architecture unknown: activations not estimated", "");

    /** The widths a layer's saved tensors are made of. */
    static final class Shape {
        final long h;
        final long heads;
        final long d;
        final long kv;
        final long f;
        final boolean gated;

        Shape(Architecture a) {
            h = a.hidden();
            heads = a.heads();
            d = a.effectiveHeadDim();
            kv = a.isMla() ? heads : (a.effectiveKvHeads() == null ? heads : a.effectiveKvHeads());
            f = InferenceActivations.mlpWidth(a);
            gated = a.gatedMlp();
        }
    }

    /**
     * What one layer keeps per token: {@code bytesPerToken} in all, {@code crossBytesPerToken} more in a decoder
     * layer's cross-attention, and the text of the formula.
     */
    record Layer(double bytesPerToken, double crossBytesPerToken, String text) {
    }

    /**
     * The stack of layers under the checkpointing policy, the final norm and head inputs and the logits.
     * {@code streamBytes} is the residual stream's element size (layer inputs kept as checkpoints, head inputs);
     * {@code scoreBytes} the element size of the attention core without FlashAttention; {@code copies} the adapters'
     * own input copies (LoRA dropout's, or a bitsandbytes head adapter's bf16 copy), null when there are none.
     */
    static Result assemble(Architecture a, ModelType type, int s, int b, boolean flash, TrainingOptions.Checkpointing ckpt,
                           Layer layer, int streamBytes, int scoreBytes, boolean logits, LoraDropout.Result copies,
                           String source) {
        long h = a.hidden();
        long heads = a.heads();
        int layers = a.totalLayers();
        int crossLayers = type == ModelType.ENCODER_DECODER && a.decoderLayers() != null ? a.decoderLayers() : 0;
        double tokens = (double) s * b;
        double perLayer = tokens * layer.bytesPerToken();
        double crossExtra = tokens * layer.crossBytesPerToken();
        // Korthikanti's 5·a·s²·b attention-core bytes (16-bit), scaled for the core's element size.
        double scores = flash ? 0 : 5.0 * heads * s * (double) s * b * scoreBytes / 2;
        double stack = switch (ckpt) {
            case NONE -> layers * (perLayer + scores) + crossLayers * (crossExtra + scores);
            case SELECTIVE -> layers * perLayer + crossLayers * crossExtra + scores;
            case FULL -> layers * tokens * h * streamBytes + perLayer + crossExtra * Math.min(1, crossLayers) + scores;
        };
        // Dropout copies live with their layer: all layers' without checkpointing, the recomputed (largest) one's
        // under full checkpointing; the head's adapter is never recomputed.
        double dropoutBytes = copies == null ? 0 : tokens * (copies.headBytesPerToken()
                + (ckpt == TrainingOptions.Checkpointing.FULL ? copies.largestLayerBytesPerToken() : copies.layersBytesPerToken()));
        long vocab = a.vocab() == null ? 0 : a.vocab();
        double head = tokens * 2 * h * streamBytes;
        double logitBytes = logits ? tokens * vocab * LOGIT_BYTES : 0;
        double total = stack + head + logitBytes + dropoutBytes;

        String layerText = Fmt.format("%d x %d tokens x %s", layers, (long) tokens, layer.text());
        String stackText = switch (ckpt) {
            case NONE -> layerText + (flash ? "" : Fmt.format(" + %d x 5 x %d heads x %d^2 x %d x %d/2 B scores",
                    layers, heads, s, b, scoreBytes));
            case SELECTIVE -> layerText + " (attention core recomputed: selective checkpointing)";
            case FULL -> Fmt.format("full checkpointing: %d layer inputs x %d tokens x %d x %d B + one layer recomputed (%d tokens"
                    + " x %s%s = %s)", layers, (long) tokens, h, streamBytes, (long) tokens, layer.text(),
                    flash ? "" : " + scores", Fmt.format("%.0f B", perLayer + scores));
        };
        String f1 = stackText + (crossLayers > 0 ? " + cross-attention in " + crossLayers + " decoder layers" : "")
                + Fmt.format(" + final norm/head inputs 2 x %d x %d x %d B", (long) tokens, h, streamBytes)
                + (logits ? Fmt.format(" + logits %d x %d vocab x %d B (fp32 logits and their gradient)",
                (long) tokens, vocab, LOGIT_BYTES) : "")
                + (copies == null ? "" : Fmt.format(" + %s%s", copies.formula(),
                ckpt == TrainingOptions.Checkpointing.FULL && copies.layersBytesPerToken() > 0
                        ? " (of the layers, only the recomputed largest one's)" : ""));
        boolean dropoutCopies = copies != null && copies.layersBytesPerToken() > 0;
        return new Result(Bytes.ofDouble(total), f1, source + "; widths from the architecture"
                + (flash ? "; FlashAttention/SDPA keeps no s^2 scores" : "") + (dropoutCopies ? "; " + LoraDropout.SOURCE : ""));
    }
}
