package dev.llmplan.engine;

import java.util.Set;

/**
 * Activations saved for the backward pass, per GPU, after Korthikanti et al. 2022 ("Reducing
 * Activation Recomputation in Large Transformer Models", §4.1): per layer s·b·h·(34 + 5·a·s/h)
 * bytes for a GPT block with 16-bit activations. The 34 is rebuilt from the block's real widths
 * (bytes per token, 16-bit):
 * <ul>
 * <li>the norm inputs (always: a norm's backward needs its input), two a block (four in Gemma 2 and 3, one in parallel
 *     blocks, {@link Architecture#norms()}), 2h each for a fused LayerNorm; an RMSNorm keeps
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
     * Bytes per logit element alive at the loss of a step (tokens x vocabulary x this), for the runtimes that compute
     * the loss as transformers does (cross_entropy = log_softmax + nll_loss, which keeps the fp32 log-probabilities):
     * 12. Before transformers 4.46 the model upcasts the logits (kept by its output, 4 B), the loss makes a shifted
     * contiguous copy (4 B) and keeps the log-probabilities (4 B); from 4.49 the forward holds the bf16 logits, their
     * fp32 upcast and the log-probabilities (10 B) and the backward the log-probabilities, their gradient and the
     * logits' gradient (12 B). {@link Runtime#lossBytesPerLogit} gives the versions in between.
     */
    static final int LOGIT_BYTES = 12;

    /**
     * torch's unfused SDPA: scores = (q x sqrt(scale)) (k x sqrt(scale))^T, the causal mask added in place, softmax, then
     * softmax x v. Backward keeps the scaled q and k copies and v (the layer's q/k/v term) and, beyond them, only the
     * softmax output (the matmul and softmax backward both read it); the output itself is kept by nothing, unlike a
     * fused kernel's. lit-gpt before PR #667 handed SDPA one key/value head against every query head for multi-query
     * models, which the fused kernels refuse.
     */
    static final String SDPA_MATH_SOURCE = "torch aten/src/ATen/native/transformers/attention.cpp"
            + " _scaled_dot_product_attention_math (softmax output saved); fused kernels need equal query/key heads"
            + " (sdp_utils check_batch_size_and_num_heads), which lit-gpt met for multi-query models only from PR #667"
            + " (Lightning-AI/litgpt@50b1974b, 2023-10-24: k/v expanded because \"flash attention requires it\")";

    /**
     * LitGPT's attention with logit soft-capping (Gemma 2): scores = q k^T x scale, cap x tanh(scores / cap), the mask
     * added, softmax in fp32 cast back to the 16-bit dtype, then x v. Backward keeps tanh's output (16-bit), the fp32
     * softmax output and the 16-bit probabilities the last matmul reads: 2c + 4 bytes a score.
     */
    static final String SOFTCAP_SOURCE = "Lightning-AI/litgpt model.py@2b195c7f l.299-311 (\"with softcapping we cannot"
            + " use SDPA\": eager scores, tanh, fp32 softmax)";

    /**
     * @param kept   linear groups whose inputs are saved (trainable weights; a bitsandbytes base goes through
     *               {@link KbitActivations} instead)
     * @param c          bytes per saved activation element (2 in 16-bit training, 4 in fp32)
     * @param logitBytes bytes per logit element at the loss ({@link #LOGIT_BYTES}); 0 for a model without an LM head
     */
    static Result compute(Architecture a, ModelType type, int s, int b, boolean flash,
                          TrainingOptions.Checkpointing ckpt, Set<LinearModules.Group> kept, int c, int logitBytes) {
        return compute(a, type, s, b, flash, ckpt, kept, c, logitBytes, null, true);
    }

    /**
     * As above, plus the copies LoRA dropout keeps ({@code dropout}, null without dropout); {@code normsTrained}
     * says whether the norm weights are trained (full fine-tuning), which makes an RMSNorm keep its output too.
     */
    static Result compute(Architecture a, ModelType type, int s, int b, boolean flash, TrainingOptions.Checkpointing ckpt,
                          Set<LinearModules.Group> kept, int c, int logitBytes, LoraDropout.Result dropout,
                          boolean normsTrained) {
        return compute(a, type, s, b, flash, ckpt, kept, c, logitBytes, dropout, normsTrained, null);
    }

    /**
     * As above, with LitGPT's own terms ({@code litgpt}, null for the Hugging Face code): its per-layer extras join
     * the layer and its loss replaces the logits term.
     */
    static Result compute(Architecture a, ModelType type, int s, int b, boolean flash, TrainingOptions.Checkpointing ckpt,
                          Set<LinearModules.Group> kept, int c, int logitBytes, LoraDropout.Result dropout,
                          boolean normsTrained, LitgptActivations.Terms litgpt) {
        if (!known(a)) {
            return UNKNOWN;
        }
        Shape x = new Shape(a);
        // LitGPT's soft-capped scores (its settings turn the fused kernels off for them): SOFTCAP_SOURCE.
        boolean softcap = litgpt != null && !flash && a.attentionSoftcap() != null;
        // Elements saved per token per layer (multiply by c for bytes).
        long attention = x.heads * x.d + 2 * x.kv * x.d
                + (kept.contains(LinearModules.Group.ATTN_IN) ? x.h : 0)
                + (flash || kept.contains(LinearModules.Group.ATTN_OUT) ? x.heads * x.d : 0);
        long mlp = (x.gated ? 3 * x.f : x.f)
                + (kept.contains(LinearModules.Group.MLP_IN) ? x.h : 0)
                + (kept.contains(LinearModules.Group.MLP_OUT) ? x.f : 0);
        int normBytes = normBytes(a, c, normsTrained);
        long norms = (long) a.norms() * x.h * normBytes;
        double extra = litgpt == null ? 0 : litgpt.layerBytesPerToken();
        Layer layer = new Layer((attention + mlp) * (double) c + norms + extra, attention * (double) c,
                Fmt.format("((attention %d + MLP %d) x %d B + %d norms x %d x %d B%s)", attention, mlp, c, a.norms(), x.h, normBytes,
                        litgpt == null || litgpt.layerText().isEmpty() ? "" : " + LitGPT: " + litgpt.layerText()));
        return assemble(a, type, s, b, flash, ckpt, layer, c, softcap ? 2 * c + 4 : c, logitBytes, dropout,
                litgpt == null ? SOURCE : SOURCE + "; " + litgpt.source(), litgpt);
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
     * <p>
     * Without checkpointing every layer's tensors are alive at the loss, so the parts add up. Under full
     * checkpointing they are not alive together: autograd frees a node's saved tensors once its backward has run,
     * so the loss's tensors (the head inputs, the logits, the head adapter's copy) are gone before the last layer is
     * recomputed, and the peak is the checkpoints plus the larger of the loss and one recomputed layer
     * (torch.utils.checkpoint recomputes a layer inside its own backward).
     */
    static Result assemble(Architecture a, ModelType type, int s, int b, boolean flash, TrainingOptions.Checkpointing ckpt,
                           Layer layer, int streamBytes, int scoreBytes, int logitBytes, LoraDropout.Result copies,
                           String source) {
        return assemble(a, type, s, b, flash, ckpt, layer, streamBytes, scoreBytes, logitBytes, copies, source, null);
    }

    /** As above; LitGPT's loss ({@code litgpt} not null) replaces the logits term when the model has an LM head. */
    static Result assemble(Architecture a, ModelType type, int s, int b, boolean flash, TrainingOptions.Checkpointing ckpt,
                           Layer layer, int streamBytes, int scoreBytes, int logitBytes, LoraDropout.Result copies,
                           String source, LitgptActivations.Terms litgpt) {
        long h = a.hidden();
        long heads = a.heads();
        int layers = a.totalLayers();
        int crossLayers = type == ModelType.ENCODER_DECODER && a.decoderLayers() != null ? a.decoderLayers() : 0;
        double tokens = (double) s * b;
        double perLayer = tokens * layer.bytesPerToken();
        double crossExtra = tokens * layer.crossBytesPerToken();
        // Korthikanti's 5·a·s²·b attention-core bytes (16-bit), scaled for the core's element size. LitGPT always
        // calls SDPA with dropout_p 0, whose unfused (math) kernel keeps only the softmax output for backward.
        double perScore = litgpt != null ? scoreBytes : 5.0 * scoreBytes / 2;
        double scores = flash ? 0 : heads * s * (double) s * b * perScore;
        boolean full = ckpt == TrainingOptions.Checkpointing.FULL;
        // Dropout copies live with their layer: all layers' without checkpointing, the recomputed (largest) one's
        // under full checkpointing; the head's adapter is never recomputed.
        double layerCopies = copies == null ? 0
                : tokens * (full ? copies.largestLayerBytesPerToken() : copies.layersBytesPerToken());
        double headCopies = copies == null ? 0 : tokens * copies.headBytesPerToken();
        long vocab = a.vocab() == null ? 0 : a.vocab();
        double head = tokens * 2 * h * streamBytes;
        boolean fabricLoss = litgpt != null && logitBytes > 0;
        double logitTotal = fabricLoss ? litgpt.lossBytes() : tokens * vocab * logitBytes;
        double loss = head + logitTotal + headCopies;
        double total = switch (ckpt) {
            case NONE -> layers * (perLayer + scores) + crossLayers * (crossExtra + scores) + layerCopies + loss;
            case SELECTIVE -> layers * perLayer + crossLayers * crossExtra + scores + layerCopies + loss;
            case FULL -> layers * tokens * h * streamBytes
                    + Math.max(perLayer + crossExtra * Math.min(1, crossLayers) + scores + layerCopies, loss);
        };

        String layerText = Fmt.format("%d x %d tokens x %s", layers, (long) tokens, layer.text());
        String copiesText = copies == null ? "" : Fmt.format(" + %s%s", copies.formula(),
                full && copies.layersBytesPerToken() > 0 ? " (of the layers, only the recomputed largest one's)" : "");
        String lossText = Fmt.format("final norm/head inputs 2 x %d x %d x %d B", (long) tokens, h, streamBytes)
                + (fabricLoss ? " + " + litgpt.lossText()
                : logitBytes > 0 ? Fmt.format(" + logits %d x %d vocab x %d B (fp32 logits, log-probabilities and"
                + " gradients at the loss)", (long) tokens, vocab, logitBytes) : "");
        String f1 = switch (ckpt) {
            case NONE -> layerText + (flash ? "" : litgpt != null
                    ? Fmt.format(" + %d x %d heads x %d^2 x %d x %d B %s", layers, heads, s, b, scoreBytes,
                    a.attentionSoftcap() != null ? "soft-capped scores (tanh output, fp32 softmax and its 16-bit copy)"
                            : "softmax output (SDPA's math kernel)")
                    : Fmt.format(" + %d x 5 x %d heads x %d^2 x %d x %d/2 B scores", layers, heads, s, b, scoreBytes))
                    + (crossLayers > 0 ? " + cross-attention in " + crossLayers + " decoder layers" : "")
                    + " + " + lossText + copiesText;
            case SELECTIVE -> layerText + " (attention core recomputed: selective checkpointing)"
                    + (crossLayers > 0 ? " + cross-attention in " + crossLayers + " decoder layers" : "")
                    + " + " + lossText + copiesText;
            case FULL -> Fmt.format("full checkpointing: %d layer inputs x %d tokens x %d x %d B + the larger of one layer"
                    + " recomputed (%d tokens x %s%s%s = %s) and the loss (%s = %s), which autograd never holds together",
                    layers, (long) tokens, h, streamBytes, (long) tokens, layer.text(), flash ? "" : " + scores",
                    crossLayers > 0 ? " + cross-attention" : "",
                    Fmt.format("%.0f B", perLayer + crossExtra * Math.min(1, crossLayers) + scores + layerCopies),
                    lossText, Fmt.format("%.0f B", loss))
                    + (copies == null ? "" : "; adapter copies in the phase they belong to: " + copies.formula());
        };
        boolean dropoutCopies = copies != null && copies.layersBytesPerToken() > 0;
        return new Result(Bytes.ofDouble(total), f1, source + "; widths from the architecture"
                + (flash ? "; FlashAttention/SDPA keeps no s^2 scores" : litgpt != null
                ? "; " + (a.attentionSoftcap() != null ? SOFTCAP_SOURCE : SDPA_MATH_SOURCE) : "") + (dropoutCopies ? "; " + (litgpt != null ? LoraDropout.LITGPT_SOURCE : LoraDropout.SOURCE) : "")
                + (full ? "; torch.utils.checkpoint (recomputation inside backward)" : ""));
    }
}
