package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What LitGPT's own model code (litgpt/model.py, litgpt/lora.py) and Lightning Fabric's precision plugins keep for
 * backward beyond what the Hugging Face model code keeps ({@code {trainer} litgpt}). Counted from the tensors
 * autograd saves (saved_tensors_hooks) when the LitGPT code runs, per token and layer in the activation dtype c:
 * <ul>
 * <li>GQA: k and v are expanded to every query head and reshaped (copies) before SDPA, which saves the copies:
 *     2·(heads − kvHeads)·headDim·c (model.py@5895df10 l.229-235);</li>
 * <li>MHA: v is a view of the fused qkv output, so the saved v keeps the whole output alive: 2·heads·headDim·c more
 *     (q and k are rotated copies) (model.py@5895df10 l.220-235);</li>
 * <li>LoRA on some but not all of q, k, v: zero_pad scatters the adapted parts into the fused width with index_copy,
 *     whose derivative keeps its source: the adapted width x c (lora.py@8641822 l.293; @00af8b0d l.347).</li>
 * </ul>
 * At the loss, Fabric casts the model's outputs to fp32 (lightning fabric/plugins/precision/half.py l.60-62 and
 * bitsandbytes.py l.154-156, convert_output in wrappers.py l.145), so the chunked logits (lm_head chunks of 128
 * tokens, finetune/lora.py@5895df10 l.276-279) are fp32 and so are their log-probabilities: 8 B per logit, plus two
 * fp32 chunk buffers of the cross-entropy backward, 2·(batch·128)·vocab·4.
 * <p>
 * Under an old bitsandbytes (MatMul4Bit before 0.43.2, MatMul8bitLt) the quantised linears keep their inputs as ctx
 * attributes, which autograd frees only with the graph, and LitGPT's loop holds the previous step's graph through its
 * {@code logits} until the next forward has ended: a step that follows one as long ends its forward with the
 * previous step's inputs still alive ({@link #PINNED_SOURCE}).
 */
final class LitgptActivations {
    private LitgptActivations() {
    }

    /**
     * The previous step's graph under an old bitsandbytes: its matmuls keep their inputs as ctx attributes, which
     * autograd frees only with the graph, and LitGPT's loop frees that graph only when the next forward has ended.
     */
    static final String PINNED_SOURCE = "bitsandbytes 0.42.0 autograd/_functions.py l.522-523 (MatMul4Bit ctx.tensors = (A, B);"
            + " l.431 MatMul8bitLt ctx.tensors = (CAt, subA, A); PR #1270, 0.43.2, stores (None, B)); torch"
            + " FunctionCtx.save_for_backward docs (tensors stored directly on ctx are not freed with the saved ones);"
            + " Lightning-AI/litgpt litgpt/finetune/lora.py@5895df10 l.276 (logits = model(...) rebinds the previous"
            + " step's logits only after the next forward)";

    static final String SOURCE = "Lightning-AI/litgpt model.py@5895df10 l.220-235 (fused qkv, GQA expand), lora.py"
            + " l.171/l.420 (one dropout for the fused qkv), zero_pad (index_copy, @00af8b0d l.347), finetune/lora.py"
            + " l.276-279 (lm_head chunks of 128); Lightning Fabric precision"
            + " plugins half.py l.60-62 / bitsandbytes.py l.154-156 (fp32 outputs)";

    /** Tokens per lm_head chunk: LitGPT's fine-tuning scripts call the model with lm_head_chunk_size=128. */
    static final int CHUNK_TOKENS = 128;
    /** fp32 logits kept by the fp32 output cast (4 B) and their log-probabilities (4 B). */
    static final int LOGIT_BYTES = 8;
    /**
     * The cross-entropy backward of one chunk (litgpt utils.py@5895df10 chunked_cross_entropy l.268-275: one
     * cross_entropy per 128-token chunk) holds two fp32 buffers of the chunk's logits: nll_loss's gradient and
     * log_softmax's (torch aten nll_loss_backward, log_softmax_backward_data); checked against the config hub's
     * TinyLlama LoRA row in LitgptTrainerTest.
     */
    static final int CHUNK_BUFFERS = 2;
    /**
     * A bitsandbytes lm_head at the loss: the fp32 logits' gradient (4 B) and its cast back to bf16 (2 B) alive together,
     * 6 B per logit, with the head dequantised to fp16 and then cast to bf16 (2 x 2 B per head weight; bitsandbytes
     * MatMul4Bit backward).
     */
    static final int QUANT_HEAD_LOGIT_BYTES = 6;

    /**
     * LitGPT's extra terms: per token per layer (folded into the layer) and at the loss (replacing the Hugging Face
     * loss), each with the text --explain shows.
     */
    record Terms(double layerBytesPerToken, String layerText, double lossBytes, String lossText, String source) {
        Terms(double layerBytesPerToken, String layerText, double lossBytes, String lossText) {
            this(layerBytesPerToken, layerText, lossBytes, lossText, SOURCE);
        }
    }

    /** Bytes per logit at the next step's forward end: the previous step's fp32 logits, the new bf16 ones, their fp32 cast. */
    static final int FORWARD_END_LOGIT_BYTES = 4 + 2 + 4;
    /** The same while the quantised lm_head computes its last chunk: the previous fp32 logits and the new bf16 chunks. */
    static final int FORWARD_END_QUANT_HEAD_LOGIT_BYTES = 4 + 2;

    /**
     * @param pinnedPerToken the quantised linears' kept inputs of one step, bytes per token over all layers and the
     *                       head (0: none); a step that follows one as long meets them
     */
    static Terms of(Architecture a, List<List<LinearModules.Linear>> adapters, int c, int tokens, int batch,
                    boolean quantisedHead, boolean headKeepsInput, double pinnedPerToken) {
        Terms base = of(a, adapters, c, tokens, batch, quantisedHead, headKeepsInput);
        if (pinnedPerToken <= 0) {
            return base;
        }
        TrainingActivations.Shape x = new TrainingActivations.Shape(a);
        long vocab = a.vocab() == null ? 0 : a.vocab();
        double t = (double) tokens * batch;
        double headPhase = quantisedHead
                ? Math.max(t * vocab * FORWARD_END_QUANT_HEAD_LOGIT_BYTES + 2.0 * 2 * vocab * x.h,
                t * vocab * FORWARD_END_LOGIT_BYTES)
                : t * vocab * FORWARD_END_LOGIT_BYTES;
        double pinned = t * pinnedPerToken;
        double kept = headKeepsInput ? t * x.h * c : 0;
        double forwardEnd = pinned + headPhase + kept;
        if (forwardEnd <= base.lossBytes()) {
            return base;
        }
        String text = Fmt.format("the next step's forward end, the larger of the loss (%s) and: the previous step's"
                        + " quantised-linear inputs, pinned by its graph until that forward ends, %d x %s B + the head"
                        + " phase (previous fp32 logits 4 B and new bf16 logits 2 B per logit + the dequantised head"
                        + " 2 x 2 x %d x %d B, or + the new fp32 logits 4 B per logit) %s B%s", base.lossText(), (long) t,
                Fmt.format("%.0f", pinnedPerToken), vocab, x.h, Fmt.format("%.0f", headPhase),
                kept > 0 ? Fmt.format(" + the quantised head's kept input %d x %d x %d B", (long) t, x.h, c) : "");
        return new Terms(base.layerBytesPerToken(), base.layerText(), forwardEnd, text, SOURCE + "; " + PINNED_SOURCE);
    }

    /**
     * @param adapters        per layer, the LoRA adapters (empty lists without LoRA)
     * @param c               bytes per activation element
     * @param tokens          sequence length
     * @param batch           micro-batch
     * @param quantisedHead   whether the lm_head is a bitsandbytes layer (Fabric's plugin swaps every nn.Linear)
     * @param headKeepsInput  whether that quantised head's matmul keeps its input (old bitsandbytes)
     */
    static Terms of(Architecture a, List<List<LinearModules.Linear>> adapters, int c, int tokens, int batch,
                    boolean quantisedHead, boolean headKeepsInput) {
        TrainingActivations.Shape x = new TrainingActivations.Shape(a);
        List<String> text = new ArrayList<>();
        double layer = 0;
        if (x.kv < x.heads) {
            double expand = 2.0 * (x.heads - x.kv) * x.d * c;
            layer += expand;
            text.add(Fmt.format("GQA k/v expanded to all heads 2 x (%d - %d) x %d x %d B", x.heads, x.kv, x.d, c));
        } else {
            double view = 2.0 * x.heads * x.d * c;
            layer += view;
            text.add(Fmt.format("v a view of the fused qkv output, keeping q and k's part 2 x %d x %d x %d B", x.heads,
                    x.d, c));
        }
        double padded = zeroPadWidth(adapters, x);
        if (padded > 0) {
            layer += padded * c;
            text.add(Fmt.format("zero_pad's source (adapted q/k/v width %s x %d B)", Fmt.format("%.0f", padded), c));
        }
        long vocab = a.vocab() == null ? 0 : a.vocab();
        double t = (double) tokens * batch;
        int chunkTokens = Math.min(tokens, CHUNK_TOKENS);
        double chunk = (double) batch * chunkTokens;
        double fp32 = t * vocab * LOGIT_BYTES + CHUNK_BUFFERS * chunk * vocab * 4;
        String lossText = Fmt.format("logits %d x %d vocab x %d B (Fabric's fp32 outputs and log-probabilities) + %d fp32"
                + " chunk buffers %d x %d x %d x 4 B", (long) t, vocab, LOGIT_BYTES, CHUNK_BUFFERS, batch, chunkTokens, vocab);
        double loss = fp32;
        if (quantisedHead) {
            double dequant = t * vocab * QUANT_HEAD_LOGIT_BYTES + 2.0 * 2 * vocab * x.h;
            loss = Math.max(fp32, dequant);
            lossText = Fmt.format("the larger of %s and, with the quantised lm_head, %d x %d x %d B + its fp16 and bf16"
                    + " dequantised copies 2 x 2 x %d x %d B", lossText, (long) t, vocab, QUANT_HEAD_LOGIT_BYTES, vocab,
                    x.h);
            if (headKeepsInput) {
                loss += t * x.h * c;
                lossText += Fmt.format(" + the quantised head's kept input %d x %d x %d B", (long) t, x.h, c);
            }
        }
        return new Terms(layer, String.join(" + ", text), loss, lossText);
    }

    /**
     * Width of the q/k/v outputs that carry adapters, averaged over the layers, when some but not all of them do
     * (LitGPT's LoRAQKVLinear pads only then); 0 otherwise.
     */
    private static double zeroPadWidth(List<List<LinearModules.Linear>> adapters, TrainingActivations.Shape x) {
        long fused = x.heads * x.d + 2 * x.kv * x.d;
        double total = 0;
        for (List<LinearModules.Linear> layer : adapters) {
            long adapted = 0;
            for (LinearModules.Linear l : layer) {
                if (l.group() == LinearModules.Group.ATTN_IN) {
                    adapted += l.dOut();
                }
            }
            if (adapted > 0 && adapted < fused) {
                total += adapted;
            }
        }
        return adapters.isEmpty() ? 0 : total / adapters.size();
    }
}
