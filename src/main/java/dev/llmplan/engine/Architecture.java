package dev.llmplan.engine;

/**
 * The shape of a model as far as memory is concerned. Every field may be null (unknown); the
 * estimator then falls back and records an assumption. Field names follow the catalog keys.
 */
public record Architecture(
        Integer layers,
        Integer encoderLayers,
        Integer decoderLayers,
        Integer hidden,
        Integer heads,
        Integer kvHeads,
        Integer headDim,
        Integer ffn,
        FfnType ffnType,
        Integer vocab,
        Integer maxContext,
        Boolean tiedEmbeddings,
        AttentionKind attention,
        String positionEmbedding,
        Integer slidingWindow,
        Integer fullAttentionEvery,
        Integer experts,
        Integer expertsPerToken,
        Integer sharedExperts,
        Integer expertFfn,
        Integer denseLayers,
        Integer kvLoraRank,
        Integer qLoraRank,
        Integer ropeHeadDim,
        Integer vHeadDim,
        Boolean sharedLayers,
        Integer embeddingDim,
        Integer extendedContext,
        Integer attentionLayers,
        Integer normsPerLayer,
        Double attentionSoftcap) {

    public static final Architecture EMPTY = builder().build();

    /** All transformer blocks: encoder plus decoder for encoder-decoder models. */
    public int totalLayers() {
        if (encoderLayers != null || decoderLayers != null) {
            return nz(encoderLayers) + nz(decoderLayers);
        }
        return nz(layers);
    }

    /**
     * Blocks that keep a self-attention KV cache: the decoder of an encoder-decoder model, the attention
     * layers of a hybrid (Jamba: 4 of 32), else every layer.
     */
    public int cachingLayers() {
        if (decoderLayers != null) {
            return decoderLayers;
        }
        if (attentionLayers != null) {
            return attentionLayers;
        }
        return nz(layers);
    }

    /**
     * Whether the blocks normalise with RMSNorm rather than LayerNorm. The catalog does not record the norm: RMSNorm
     * goes with the gated MLPs of its families (LLaMA, Mistral, Qwen, Gemma, Phi-3, DeepSeek, T5 v1.1), LayerNorm
     * with the plain ones (GPT-2, GPT-NeoX, OPT, BLOOM, Falcon, Phi-2, BERT); StableLM 2 (SwiGLU with LayerNorm) and
     * the original T5 (ReLU with RMSNorm) are the exceptions this misreads.
     */
    public boolean rmsNorm() {
        return gatedMlp();
    }

    /**
     * Norms each block applies, each keeping its input for backward: 2 (before attention, before the MLP) unless the
     * catalog says otherwise: 4 for Gemma 2 and 3, whose blocks also normalise the attention's and the MLP's outputs
     * (post_attention_layernorm, post_feedforward_layernorm), 1 for parallel blocks that share one input norm
     * (GPT-J, Phi-1.5/2, Falcon-7B).
     */
    public int norms() {
        return normsPerLayer == null ? 2 : normsPerLayer;
    }

    /** Whether the MLP is gated (SwiGLU, GeGLU: gate, up and down matrices). */
    public boolean gatedMlp() {
        return ffnType() != null && ffnType().matrices() == 3;
    }

    public boolean isMoe() {
        return experts != null && experts > 1;
    }

    public boolean isMla() {
        return attention == AttentionKind.MLA || kvLoraRank != null;
    }

    /** Per-head dimension: the explicit one, else hidden / heads (which is wrong for some models). */
    public Integer effectiveHeadDim() {
        if (headDim != null) {
            return headDim;
        }
        if (hidden != null && heads != null && heads > 0) {
            return hidden / heads;
        }
        return null;
    }

    /** MLA: the rotary part of each query/key head (DeepSeek qk_rope_head_dim), 0 when not given. */
    public long mlaRopeDim() {
        return ropeHeadDim == null ? 0 : ropeHeadDim;
    }

    /** MLA: the rest of each query/key head (qk_nope_head_dim); headDim is the whole head (192 in V3). */
    public long mlaNopeDim() {
        return Math.max(0, effectiveHeadDim() - mlaRopeDim());
    }

    /** MLA: each value head's width (v_head_dim), by default the non-rotary width. */
    public long mlaVHeadDim() {
        return vHeadDim == null ? mlaNopeDim() : vHeadDim;
    }

    public Integer effectiveKvHeads() {
        if (kvHeads != null) {
            return kvHeads;
        }
        if (attention == AttentionKind.MQA) {
            return 1;
        }
        return heads;
    }

    /** Number of layers that use the sliding window (the rest attend to the whole context). */
    public int slidingLayers(int layerCount) {
        if (slidingWindow == null) {
            return 0;
        }
        if (fullAttentionEvery == null || fullAttentionEvery <= 0) {
            return layerCount;
        }
        return layerCount - layerCount / fullAttentionEvery;
    }

    private static int nz(Integer v) {
        return v == null ? 0 : v;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.layers = layers; b.encoderLayers = encoderLayers; b.decoderLayers = decoderLayers;
        b.hidden = hidden; b.heads = heads; b.kvHeads = kvHeads; b.headDim = headDim; b.ffn = ffn;
        b.ffnType = ffnType; b.vocab = vocab; b.maxContext = maxContext; b.tiedEmbeddings = tiedEmbeddings;
        b.attention = attention; b.positionEmbedding = positionEmbedding; b.slidingWindow = slidingWindow;
        b.fullAttentionEvery = fullAttentionEvery; b.experts = experts; b.expertsPerToken = expertsPerToken;
        b.sharedExperts = sharedExperts; b.expertFfn = expertFfn; b.denseLayers = denseLayers;
        b.kvLoraRank = kvLoraRank; b.qLoraRank = qLoraRank; b.ropeHeadDim = ropeHeadDim; b.vHeadDim = vHeadDim;
        b.sharedLayers = sharedLayers;
        b.embeddingDim = embeddingDim;
        b.extendedContext = extendedContext;
        b.attentionLayers = attentionLayers;
        b.normsPerLayer = normsPerLayer;
        b.attentionSoftcap = attentionSoftcap;
        return b;
    }

    /** Mutable builder: the catalog loader and the model-file readers fill what they find. */
    public static final class Builder {
        public Integer layers, encoderLayers, decoderLayers, hidden, heads, kvHeads, headDim, ffn;
        public FfnType ffnType;
        public Integer vocab, maxContext;
        public Boolean tiedEmbeddings;
        public AttentionKind attention;
        public String positionEmbedding;
        public Integer slidingWindow, fullAttentionEvery, experts, expertsPerToken, sharedExperts, expertFfn,
                denseLayers, kvLoraRank, qLoraRank, ropeHeadDim, vHeadDim;
        public Boolean sharedLayers;
        /** Factorised input embedding width (ALBERT, ELECTRA-small), projected up to hidden. */
        public Integer embeddingDim;
        /**
         * The longest context the model card supports with a longer-context configuration (rope scaling such as
         * Qwen2.5's YaRN factor 4 to 131,072, or a chat variant's config) when it exceeds {@code maxContext}, the
         * native length the released config runs at. Contexts in between are planned with a warning.
         */
        public Integer extendedContext;
        /** Hybrid models (Jamba): the layers that attend and keep a KV cache, when fewer than {@code layers}. */
        public Integer attentionLayers;
        /** Norms per block when not the usual 2 (see {@link Architecture#norms()}). */
        public Integer normsPerLayer;
        /**
         * Gemma 2's attention logit soft-capping (cap x tanh(scores / cap), 50.0): fused SDPA kernels do not apply
         * it, so code that honours it computes the scores eagerly (LitGPT).
         */
        public Double attentionSoftcap;

        public Architecture build() {
            return new Architecture(layers, encoderLayers, decoderLayers, hidden, heads, kvHeads, headDim, ffn,
                    ffnType, vocab, maxContext, tiedEmbeddings, attention, positionEmbedding, slidingWindow,
                    fullAttentionEvery, experts, expertsPerToken, sharedExperts, expertFfn, denseLayers,
                    kvLoraRank, qLoraRank, ropeHeadDim, vHeadDim, sharedLayers, embeddingDim, extendedContext,
                    attentionLayers, normsPerLayer, attentionSoftcap);
        }
    }
}
