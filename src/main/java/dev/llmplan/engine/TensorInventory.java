package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's weights as tensors, derived from the architecture (Hugging Face module layout,
 * biases ignored): the one description of the matrices that weight pricing, parameter counts,
 * LoRA targets, Adafactor's factoring and the activation groups all read ({@link LinearModules}
 * is its view of the blocks' projections). The derived total is checked against the published
 * parameter count by the catalog validation; the estimator scales the block tensors to the
 * published total.
 */
public final class TensorInventory {
    private final List<Tensor> tensors;
    private final int blockLayers;
    private final boolean sharedBlock;

    private TensorInventory(List<Tensor> tensors, int blockLayers, boolean sharedBlock) {
        this.tensors = List.copyOf(tensors);
        this.blockLayers = blockLayers;
        this.sharedBlock = sharedBlock;
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    /** Number of transformer blocks the layer indices run over. */
    public int blockLayers() {
        return blockLayers;
    }

    /**
     * The stored block that block {@code layer} runs: itself, or block 0 when all layers share one
     * block's weights (ALBERT), which is then stored once.
     */
    public int storedBlock(int layer) {
        return sharedBlock ? 0 : layer;
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

    /** Parameters of the largest gathered unit: a block, or a tensor outside the blocks (ZeRO-3 gathers one at a time). */
    public long largestLayer() {
        long outside = 0;
        for (Tensor t : tensors) {
            if (t.layer() < 0 || t.layer() >= Math.max(1, blockLayers)) {
                outside = Math.max(outside, t.params());
            }
        }
        return Math.max(outside, largestBlock());
    }

    /** Parameters of the largest block (layer), the tensors outside the blocks left out. */
    public long largestBlock() {
        long[] perLayer = new long[Math.max(1, blockLayers)];
        for (Tensor t : tensors) {
            if (t.layer() >= 0 && t.layer() < perLayer.length) {
                perLayer[t.layer()] += t.params();
            }
        }
        long max = 0;
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
        return new TensorInventory(List.of(Tensor.vector("model", TensorRole.OTHER, -1, params)), 0, false);
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
        list.add(Tensor.matrix("embed_tokens", TensorRole.TOKEN_EMBEDDING, -1, vocab, e, 1, false));
        if (e != h) {
            list.add(Tensor.matrix("embedding_hidden_mapping_in", TensorRole.OTHER, -1, e, h, 1, false));
        }
        if ("learned".equals(a.positionEmbedding()) && a.maxContext() != null) {
            list.add(Tensor.matrix("embed_positions", TensorRole.POSITION_EMBEDDING, -1, a.maxContext(), e, 1, false));
        }
        int layer = 0;
        boolean shared = false;
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
            shared = Boolean.TRUE.equals(a.sharedLayers());
            int stored = shared ? 1 : n;
            for (int i = 0; i < stored; i++, layer++) {
                addBlock(list, a, layer, false);
            }
            layer = n;
        }
        list.add(Tensor.vector("norm", TensorRole.NORM, -1, h));
        if (!Boolean.TRUE.equals(a.tiedEmbeddings()) && type != ModelType.ENCODER) {
            list.add(Tensor.matrix("lm_head", TensorRole.OUTPUT_HEAD, -1, e, vocab, 1, false));
        }
        return new TensorInventory(list, layer, shared);
    }

    private static void addBlock(List<Tensor> list, Architecture a, int layer, boolean crossAttention) {
        long h = a.hidden();
        addAttention(list, a, layer);
        if (crossAttention) {
            addAttention(list, a, layer);
        }
        addMlp(list, a, layer);
        // The block's norms (input and post-attention, Gemma 2's post-norms, and cross-attention's) as one vector.
        list.add(Tensor.vector("layer_norms", TensorRole.NORM, layer, (a.norms() + (crossAttention ? 1 : 0)) * h));
    }

    private static void addAttention(List<Tensor> list, Architecture a, int layer) {
        long h = a.hidden();
        long heads = a.heads();
        long hd = a.effectiveHeadDim();
        if (a.isMla() && a.kvLoraRank() != null) {
            // DeepSeek MLA (config q_lora_rank, kv_lora_rank, qk_rope_head_dim, v_head_dim; module names
            // of modeling_deepseek.py); headDim is the whole query/key head (qk_nope_head_dim +
            // qk_rope_head_dim, 192 in DeepSeek-V3). The latent norms are priced with the projection
            // they follow (role ATTN_Q / ATTN_K), as the estimate always has.
            long rope = a.mlaRopeDim();
            long nope = a.mlaNopeDim();
            long v = a.mlaVHeadDim();
            long kvRank = a.kvLoraRank();
            if (a.qLoraRank() == null) {
                list.add(Tensor.matrix("q_proj", TensorRole.ATTN_Q, layer, h, heads * hd, 1, false));
            } else {
                long qRank = a.qLoraRank();
                list.add(Tensor.matrix("q_a_proj", TensorRole.ATTN_Q, layer, h, qRank, 1, false));
                list.add(Tensor.vector("q_a_layernorm", TensorRole.ATTN_Q, layer, qRank));
                list.add(Tensor.matrix("q_b_proj", TensorRole.ATTN_Q, layer, qRank, heads * hd, 1, false));
            }
            list.add(Tensor.matrix("kv_a_proj_with_mqa", TensorRole.ATTN_K, layer, h, kvRank + rope, 1, false));
            list.add(Tensor.vector("kv_a_layernorm", TensorRole.ATTN_K, layer, kvRank));
            list.add(Tensor.matrix("kv_b_proj", TensorRole.ATTN_V, layer, kvRank, heads * (nope + v), 1, false));
            list.add(Tensor.matrix("o_proj", TensorRole.ATTN_OUTPUT, layer, heads * v, h, 1, false));
            return;
        }
        long kv = a.effectiveKvHeads() == null ? heads : a.effectiveKvHeads();
        list.add(Tensor.matrix("q_proj", TensorRole.ATTN_Q, layer, h, heads * hd, 1, false));
        list.add(Tensor.matrix("k_proj", TensorRole.ATTN_K, layer, h, kv * hd, 1, false));
        list.add(Tensor.matrix("v_proj", TensorRole.ATTN_V, layer, h, kv * hd, 1, false));
        list.add(Tensor.matrix("o_proj", TensorRole.ATTN_OUTPUT, layer, heads * hd, h, 1, false));
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
            addFfn(list, layer, h, a.ffn(), 1, gated, false);
            return;
        }
        long expertFfn = a.expertFfn() != null ? a.expertFfn() : a.ffn() == null ? 0 : a.ffn();
        long experts = a.experts();
        addFfn(list, layer, h, expertFfn, experts, gated, true);
        if (a.sharedExperts() != null && a.sharedExperts() > 0) {
            // Shared experts run for every token; they carry the same module names (mlp.shared_experts.*).
            addFfn(list, layer, h, expertFfn, a.sharedExperts(), gated, false);
        }
        // The router: Mixtral's block_sparse_moe.gate, DeepSeek's mlp.gate.
        list.add(Tensor.matrix("gate", TensorRole.ROUTER, layer, h, experts, 1, false));
    }

    private static void addFfn(List<Tensor> list, int layer, long h, long width, long copies, boolean gated,
                               boolean expert) {
        if (gated) {
            list.add(Tensor.matrix("gate_proj", TensorRole.FFN_GATE, layer, h, width, copies, expert));
        }
        list.add(Tensor.matrix("up_proj", TensorRole.FFN_UP, layer, h, width, copies, expert));
        list.add(Tensor.matrix("down_proj", TensorRole.FFN_DOWN, layer, width, h, copies, expert));
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
