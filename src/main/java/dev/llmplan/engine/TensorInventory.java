package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's weights as tensors, derived from the architecture (Hugging Face module layout,
 * biases ignored). The derived total is checked against the published parameter count by the
 * catalog validation; the estimator scales the block tensors to the published total.
 */
public final class TensorInventory {
    private final List<Tensor> tensors;
    private final int blockLayers;

    private TensorInventory(List<Tensor> tensors, int blockLayers) {
        this.tensors = List.copyOf(tensors);
        this.blockLayers = blockLayers;
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    /** Number of transformer blocks the layer indices run over. */
    public int blockLayers() {
        return blockLayers;
    }

    public long total() {
        long sum = 0;
        for (Tensor t : tensors) {
            sum = Math.addExact(sum, t.params());
        }
        return sum;
    }

    public long total(TensorRole role) {
        return tensors.stream().filter(t -> t.role() == role).mapToLong(Tensor::params).sum();
    }

    /** Parameters of the largest block (ZeRO-3 gathers one layer at a time). */
    public long largestLayer() {
        long[] perLayer = new long[Math.max(1, blockLayers)];
        long outside = 0;
        for (Tensor t : tensors) {
            if (t.layer() >= 0 && t.layer() < perLayer.length) {
                perLayer[t.layer()] += t.params();
            } else {
                outside = Math.max(outside, t.params());
            }
        }
        long max = outside;
        for (long p : perLayer) {
            max = Math.max(max, p);
        }
        return max;
    }

    /** Whether the architecture has enough fields to derive tensors. */
    public static boolean derivable(Architecture a) {
        return a != null && a.hidden() != null && a.totalLayers() > 0 && a.heads() != null
                && a.effectiveHeadDim() != null;
    }

    /** A single opaque tensor, when the architecture is unknown. */
    public static TensorInventory opaque(long params) {
        return new TensorInventory(List.of(new Tensor(TensorRole.OTHER, -1, params, false)), 0);
    }

    public static TensorInventory of(Architecture a, ModelType type) {
        if (!derivable(a)) {
            throw new IllegalArgumentException("architecture is incomplete");
        }
        List<Tensor> list = new ArrayList<>();
        long h = a.hidden();
        long vocab = a.vocab() == null ? 0 : a.vocab();
        // Factorised embeddings (ALBERT) store vocab x E and project E -> hidden.
        long e = a.embeddingDim() != null ? a.embeddingDim() : h;
        list.add(new Tensor(TensorRole.TOKEN_EMBEDDING, -1, vocab * e, false));
        if (e != h) {
            list.add(new Tensor(TensorRole.OTHER, -1, e * h, false));
        }
        if ("learned".equals(a.positionEmbedding()) && a.maxContext() != null) {
            list.add(new Tensor(TensorRole.POSITION_EMBEDDING, -1, (long) a.maxContext() * e, false));
        }
        int layer = 0;
        if (type == ModelType.ENCODER_DECODER) {
            int enc = a.encoderLayers() == null ? 0 : a.encoderLayers();
            int dec = a.decoderLayers() == null ? 0 : a.decoderLayers();
            for (int i = 0; i < enc; i++, layer++) {
                addBlock(list, a, layer, false);
            }
            for (int i = 0; i < dec; i++, layer++) {
                addBlock(list, a, layer, true);
            }
        } else {
            int n = a.layers() == null ? 0 : a.layers();
            // ALBERT shares one block's weights across all layers.
            int stored = Boolean.TRUE.equals(a.sharedLayers()) ? 1 : n;
            for (int i = 0; i < stored; i++, layer++) {
                addBlock(list, a, layer, false);
            }
            layer = n;
        }
        list.add(new Tensor(TensorRole.NORM, -1, h, false));
        if (!Boolean.TRUE.equals(a.tiedEmbeddings()) && type != ModelType.ENCODER) {
            list.add(new Tensor(TensorRole.OUTPUT_HEAD, -1, vocab * e, false));
        }
        return new TensorInventory(list, layer);
    }

    private static void addBlock(List<Tensor> list, Architecture a, int layer, boolean crossAttention) {
        long h = a.hidden();
        addAttention(list, a, layer);
        if (crossAttention) {
            addAttention(list, a, layer);
        }
        addMlp(list, a, layer);
        list.add(new Tensor(TensorRole.NORM, layer, (crossAttention ? 3 : 2) * h, false));
    }

    private static void addAttention(List<Tensor> list, Architecture a, int layer) {
        long h = a.hidden();
        long heads = a.heads();
        long hd = a.effectiveHeadDim();
        if (a.isMla() && a.kvLoraRank() != null) {
            // DeepSeek MLA (config q_lora_rank, kv_lora_rank, qk_rope_head_dim, v_head_dim); headDim is
            // the whole query/key head (qk_nope_head_dim + qk_rope_head_dim, 192 in DeepSeek-V3).
            long rope = a.mlaRopeDim();
            long nope = a.mlaNopeDim();
            long v = a.mlaVHeadDim();
            long kvRank = a.kvLoraRank();
            long q = a.qLoraRank() == null ? h * heads * hd
                    : h * a.qLoraRank() + a.qLoraRank() + a.qLoraRank() * heads * hd;
            list.add(new Tensor(TensorRole.ATTN_Q, layer, q, false));
            list.add(new Tensor(TensorRole.ATTN_K, layer, h * (kvRank + rope) + kvRank, false));
            list.add(new Tensor(TensorRole.ATTN_V, layer, kvRank * heads * (nope + v), false));
            list.add(new Tensor(TensorRole.ATTN_OUTPUT, layer, heads * v * h, false));
            return;
        }
        long kv = a.effectiveKvHeads() == null ? heads : a.effectiveKvHeads();
        list.add(new Tensor(TensorRole.ATTN_Q, layer, h * heads * hd, false));
        list.add(new Tensor(TensorRole.ATTN_K, layer, h * kv * hd, false));
        list.add(new Tensor(TensorRole.ATTN_V, layer, h * kv * hd, false));
        list.add(new Tensor(TensorRole.ATTN_OUTPUT, layer, heads * hd * h, false));
    }

    private static void addMlp(List<Tensor> list, Architecture a, int layer) {
        long h = a.hidden();
        FfnType type = a.ffnType() == null ? FfnType.GELU : a.ffnType();
        boolean gated = type.matrices() == 3;
        boolean dense = !a.isMoe() || (a.denseLayers() != null && layer < a.denseLayers());
        if (dense) {
            if (a.ffn() == null) {
                return;
            }
            addFfn(list, layer, h * a.ffn(), gated, false);
            return;
        }
        long expertFfn = a.expertFfn() != null ? a.expertFfn() : a.ffn() == null ? 0 : a.ffn();
        long experts = a.experts();
        addFfn(list, layer, experts * h * expertFfn, gated, true);
        if (a.sharedExperts() != null && a.sharedExperts() > 0) {
            addFfn(list, layer, a.sharedExperts() * h * expertFfn, gated, false);
        }
        list.add(new Tensor(TensorRole.ROUTER, layer, h * experts, false));
    }

    private static void addFfn(List<Tensor> list, int layer, long matrix, boolean gated, boolean expert) {
        list.add(new Tensor(TensorRole.FFN_UP, layer, matrix, expert));
        if (gated) {
            list.add(new Tensor(TensorRole.FFN_GATE, layer, matrix, expert));
        }
        list.add(new Tensor(TensorRole.FFN_DOWN, layer, matrix, expert));
    }

    /** Parameters used per token: all but the unrouted experts. */
    public long activeParams(Architecture a) {
        if (!a.isMoe() || a.expertsPerToken() == null) {
            return total();
        }
        long expertParams = tensors.stream().filter(Tensor::expert).mapToLong(Tensor::params).sum();
        return total() - expertParams + expertParams * a.expertsPerToken() / a.experts();
    }
}
