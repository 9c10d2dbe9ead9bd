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
 */
final class LitgptActivations {
    private LitgptActivations() {
    }

    static final String SOURCE = "Lightning-AI/litgpt model.py@5895df10 l.220-235 (fused qkv, GQA expand), lora.py"
            + " l.171/l.420 (one dropout for the fused qkv), zero_pad (index_copy, @00af8b0d l.347), finetune/lora.py"
            + " l.276-279 (lm_head chunks of 128); Lightning Fabric precision"
            + " plugins half.py l.60-62 / bitsandbytes.py l.154-156 (fp32 outputs)";

    /** Tokens per lm_head chunk: LitGPT's fine-tuning scripts call the model with lm_head_chunk_size=128. */
    static final int CHUNK_TOKENS = 128;
    /** fp32 logits kept by the fp32 output cast (4 B) and their log-probabilities (4 B). */
    static final int LOGIT_BYTES = 8;
    /** The cross-entropy backward of one chunk holds two fp32 buffers of the chunk's logits. */
    static final int CHUNK_BUFFERS = 2;
    /**
     * A bitsandbytes lm_head at the loss: after the fp32 gradient is cast back, 6 B per logit, with the head
     * dequantised to fp16 and then cast to bf16 (2 x 2 B per head weight; bitsandbytes MatMul4Bit backward).
     */
    static final int QUANT_HEAD_LOGIT_BYTES = 6;

    /**
     * LitGPT's extra terms: per token per layer (folded into the layer) and at the loss (replacing the Hugging Face
     * loss), each with the text --explain shows.
     */
    record Terms(double layerBytesPerToken, String layerText, double lossBytes, String lossText) {
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
