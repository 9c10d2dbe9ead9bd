package dev.llmplan.engine;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What LoRA dropout (PEFT lora_dropout above 0) adds to the activations kept for backward. PEFT gives every
 * adapted module its own nn.Dropout, nn.Identity when the rate is 0 (peft/tuners/lora/layer.py, update_layer),
 * and computes lora_B(lora_A(dropout(x))): autograd then keeps, per adapter, the dropped-out input that lora_A's
 * weight gradient needs (c bytes per element) and the dropout mask (torch native_dropout: a bool tensor, 1 byte
 * per element). Without dropout the adapters of one input share x itself, which the estimate already keeps once;
 * with it q, k and v adapters keep three copies. A fused module (qkv_proj, query_key_value) is one adapter.
 * Routed experts see each token k times.
 */
final class LoraDropout {
    private LoraDropout() {
    }

    static final String SOURCE = "peft tuners/lora/layer.py: one nn.Dropout per adapted module, lora_A(dropout(x));"
            + " torch native_dropout keeps a bool mask";
    static final String LITGPT_SOURCE = "Lightning-AI/litgpt lora.py@5895df10 l.171 lora_A(dropout(x)), l.420 one dropout"
            + " for the fused qkv, l.662-680 fc_1 and fc_2 separate";

    /**
     * Bytes a token adds: {@code layersBytesPerToken} summed over the layers, {@code largestLayerBytesPerToken} in
     * the largest layer (the one a recomputed layer can hold under full checkpointing) and {@code headBytesPerToken}
     * for the output head's adapter, which is never recomputed.
     */
    record Result(double layersBytesPerToken, double largestLayerBytesPerToken, double headBytesPerToken, String formula) {
    }

    /**
     * @param c              bytes per activation element
     * @param inputsSaved    groups whose input the estimate keeps for another reason (FlashAttention keeps the
     *                       attention output, the input of o_proj)
     * @param fusedQkv       q, k and v are one fused module with one adapter and one dropout (LitGPT's
     *                       LoRAQKVLinear: lora.py@5895df10 l.420, lora_B(lora_A(dropout(x))) once for the qkv), so the
     *                       attention input's adapters keep one copy between them. Every other adapted linear keeps its
     *                       own (LitGPT's fc_1 and fc_2 are separate LoRALinear modules, l.662-680, so two copies of the
     *                       same input).
     */
    static Result compute(LoraTargets targets, Architecture a, ModelType type, int c, Set<LinearModules.Group> inputsSaved,
                          boolean fusedQkv) {
        double total = 0;
        double largest = 0;
        for (List<LinearModules.Linear> layer : targets.adapters(a, type)) {
            Set<LinearModules.Group> shared = EnumSet.noneOf(LinearModules.Group.class);
            double bytes = 0;
            boolean qkvCopied = false;
            for (LinearModules.Linear l : layer) {
                if (fusedQkv && l.group() == LinearModules.Group.ATTN_IN) {
                    if (qkvCopied) {
                        continue;
                    }
                    qkvCopied = true;
                }
                bytes += (double) l.tokenCopies(a) * l.dIn() * (c + 1);
                // The first adapter of a group replaces the one copy of the group's input the estimate keeps for it.
                if (!inputsSaved.contains(l.group()) && shared.add(l.group())) {
                    bytes -= (double) l.dIn() * c;
                }
            }
            total += bytes;
            largest = Math.max(largest, bytes);
        }
        double head = targets.head() && a.hidden() != null ? (double) a.hidden() * (c + 1) : 0;
        return new Result(total, largest, head, Fmt.format("LoRA dropout: each adapter%s keeps its dropped-out input (%d B) and"
                + " mask (1 B): %s B per token over the layers%s", fusedQkv ? " (one for the fused qkv, LitGPT)" : "",
                c, Fmt.format("%.0f", total),
                head > 0 ? Fmt.format(" + %s B for the head's adapter", Fmt.format("%.0f", head)) : ""));
    }
}
