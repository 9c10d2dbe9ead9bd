package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The linear projections each transformer block runs, read from the {@link TensorInventory}
 * (Hugging Face module names, q_proj ... down_proj); LoRA counts r x (d_in + d_out) on them and
 * Adafactor factors them. Biases and the MoE router are left out (PEFT's all-linear would include
 * the router; it is tiny).
 */
final class LinearModules {
    private LinearModules() {
    }

    /** Where in the block a linear sits: decides which activations its input gradient keeps alive. */
    enum Group { ATTN_IN, ATTN_OUT, MLP_IN, MLP_OUT }

    /** One linear module in one block; {@code count} is the number of copies (experts). */
    record Linear(String name, long dIn, long dOut, long count, Group group) {
        long params() {
            return count * dIn * dOut;
        }

        /** How many copies of a token's input this module sees: its routed and shared experts for an expert module. */
        long tokenCopies(Architecture a) {
            if (count <= 1) {
                return 1;
            }
            return (a.expertsPerToken() == null ? 1 : a.expertsPerToken()) + (a.sharedExperts() == null ? 0 : a.sharedExperts());
        }
    }

    /** The linear modules of every block, in layer order (decoder blocks of T5 carry cross-attention twice). */
    static List<List<Linear>> of(Architecture a, ModelType type) {
        return of(TensorInventory.of(a, type));
    }

    /**
     * One list per block the model runs. A block whose weights are shared (ALBERT) lists the stored
     * block's modules again for every layer that runs it. An MoE layer's shared experts are more
     * copies of the routed experts' modules: same names, same shapes.
     */
    static List<List<Linear>> of(TensorInventory inventory) {
        List<List<Linear>> stored = new ArrayList<>();
        for (int i = 0; i < inventory.blockLayers(); i++) {
            stored.add(new ArrayList<>());
        }
        for (Tensor t : inventory.tensors()) {
            if (t.isBlockLinear() && t.layer() < stored.size()) {
                add(stored.get(t.layer()), t);
            }
        }
        stored.replaceAll(List::copyOf);
        List<List<Linear>> layers = new ArrayList<>();
        for (int i = 0; i < inventory.blockLayers(); i++) {
            layers.add(stored.get(inventory.storedBlock(i)));
        }
        return layers;
    }

    private static void add(List<Linear> block, Tensor t) {
        Linear l = new Linear(t.module(), t.dIn(), t.dOut(), t.copies(), group(t.role()));
        boolean mlp = l.group() == Group.MLP_IN || l.group() == Group.MLP_OUT;
        for (int i = 0; mlp && i < block.size(); i++) {
            Linear same = block.get(i);
            if (same.name().equals(l.name()) && same.dIn() == l.dIn() && same.dOut() == l.dOut()) {
                block.set(i, new Linear(l.name(), l.dIn(), l.dOut(), same.count() + l.count(), l.group()));
                return;
            }
        }
        block.add(l);
    }

    private static Group group(TensorRole role) {
        return switch (role) {
            case ATTN_Q, ATTN_K, ATTN_V -> Group.ATTN_IN;
            case ATTN_OUTPUT -> Group.ATTN_OUT;
            case FFN_UP, FFN_GATE -> Group.MLP_IN;
            case FFN_DOWN -> Group.MLP_OUT;
            default -> throw new IllegalArgumentException("not a projection: " + role);
        };
    }

    /** The distinct module names the architecture has (for error messages). */
    static Set<String> names(Architecture a, ModelType type) {
        Set<String> names = new LinkedHashSet<>();
        for (List<Linear> layer : of(a, type)) {
            for (Linear l : layer) {
                names.add(l.name());
            }
        }
        return names;
    }
}
