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

    /** Bytes a token adds, summed over the layers (and the output head's adapter). */
    record Result(double bytesPerToken, String formula) {
    }

    /**
     * @param c              bytes per activation element
     * @param inputsSaved    groups whose input the base model keeps anyway (bitsandbytes layers keep their input;
     *                       FlashAttention keeps the attention output, the input of o_proj)
     */
    static Result compute(LoraTargets targets, Architecture a, ModelType type, int c, Set<LinearModules.Group> inputsSaved) {
        long routed = a.expertsPerToken() == null ? 1 : a.expertsPerToken();
        double total = 0;
        for (List<LinearModules.Linear> layer : targets.adapters(a, type)) {
            Set<LinearModules.Group> shared = EnumSet.noneOf(LinearModules.Group.class);
            for (LinearModules.Linear l : layer) {
                long copies = l.count() > 1 ? routed : 1;
                total += (double) copies * l.dIn() * (c + 1);
                // The first adapter of a group replaces the shared input the estimate keeps for it.
                if (!inputsSaved.contains(l.group()) && shared.add(l.group())) {
                    total -= (double) copies * l.dIn() * c;
                }
            }
        }
        if (targets.head() && a.hidden() != null) {
            total += (double) a.hidden() * (c + 1);
        }
        return new Result(total, Fmt.format("LoRA dropout: each adapter keeps its dropped-out input (%d B) and mask (1 B):"
                + " %s B per token over the layers", c, Fmt.format("%.0f", total)));
    }
}
