package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The linear layers of each transformer block with their shapes, named as in Hugging Face's Llama
 * code (q_proj ... down_proj); LoRA counts r x (d_in + d_out) on them and Adafactor factors them.
 * Biases and the MoE router are left out (PEFT's all-linear would include the router; it is tiny).
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
    }

    /** The linear modules of every block, in layer order (decoder blocks of T5 carry cross-attention twice). */
    static List<List<Linear>> of(Architecture a, ModelType type) {
        List<List<Linear>> layers = new ArrayList<>();
        if (type == ModelType.ENCODER_DECODER) {
            int enc = a.encoderLayers() == null ? 0 : a.encoderLayers();
            int dec = a.decoderLayers() == null ? 0 : a.decoderLayers();
            for (int i = 0; i < enc + dec; i++) {
                layers.add(block(a, i, i >= enc));
            }
        } else {
            int n = a.layers() == null ? 0 : a.layers();
            for (int i = 0; i < n; i++) {
                layers.add(block(a, i, false));
            }
        }
        return layers;
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

    private static List<Linear> block(Architecture a, int layer, boolean crossAttention) {
        List<Linear> list = new ArrayList<>();
        attention(list, a);
        if (crossAttention) {
            attention(list, a);
        }
        mlp(list, a, layer);
        return list;
    }

    private static void attention(List<Linear> list, Architecture a) {
        long h = a.hidden();
        long heads = a.heads();
        long hd = a.effectiveHeadDim();
        if (a.isMla() && a.kvLoraRank() != null) {
            // DeepSeek-V2/V3 module names (modeling_deepseek.py): q_a/q_b, kv_a_proj_with_mqa, kv_b_proj.
            long rope = a.mlaRopeDim();
            long nope = a.mlaNopeDim();
            long v = a.mlaVHeadDim();
            if (a.qLoraRank() != null) {
                list.add(new Linear("q_a_proj", h, a.qLoraRank(), 1, Group.ATTN_IN));
                list.add(new Linear("q_b_proj", a.qLoraRank(), heads * hd, 1, Group.ATTN_IN));
            } else {
                list.add(new Linear("q_proj", h, heads * hd, 1, Group.ATTN_IN));
            }
            list.add(new Linear("kv_a_proj_with_mqa", h, a.kvLoraRank() + rope, 1, Group.ATTN_IN));
            list.add(new Linear("kv_b_proj", a.kvLoraRank(), heads * (nope + v), 1, Group.ATTN_IN));
            list.add(new Linear("o_proj", heads * v, h, 1, Group.ATTN_OUT));
            return;
        }
        long kv = a.effectiveKvHeads() == null ? heads : a.effectiveKvHeads();
        list.add(new Linear("q_proj", h, heads * hd, 1, Group.ATTN_IN));
        list.add(new Linear("k_proj", h, kv * hd, 1, Group.ATTN_IN));
        list.add(new Linear("v_proj", h, kv * hd, 1, Group.ATTN_IN));
        list.add(new Linear("o_proj", heads * hd, h, 1, Group.ATTN_OUT));
    }

    private static void mlp(List<Linear> list, Architecture a, int layer) {
        long h = a.hidden();
        boolean gated = a.ffnType() != null && a.ffnType().matrices() == 3;
        boolean dense = !a.isMoe() || (a.denseLayers() != null && layer < a.denseLayers());
        long width;
        long copies;
        if (dense) {
            if (a.ffn() == null) {
                return;
            }
            width = a.ffn();
            copies = 1;
        } else {
            width = a.expertFfn() != null ? a.expertFfn() : a.ffn() == null ? 0 : a.ffn();
            copies = a.experts() + (a.sharedExperts() == null ? 0 : a.sharedExperts());
        }
        if (gated) {
            list.add(new Linear("gate_proj", h, width, copies, Group.MLP_IN));
        }
        list.add(new Linear("up_proj", h, width, copies, Group.MLP_IN));
        list.add(new Linear("down_proj", width, h, copies, Group.MLP_OUT));
    }
}
