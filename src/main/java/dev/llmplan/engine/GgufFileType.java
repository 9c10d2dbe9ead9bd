package dev.llmplan.engine;

import java.util.List;
import java.util.Locale;

/**
 * A llama.cpp file type ({@code llama_ftype}), the quantisation mix a user names with {@code --quant}
 * (the names {@code llama-quantize} accepts, in lower case). A file type is a base tensor type plus
 * per-tensor exceptions: the output head, the token embedding, attn_v and some ffn_down layers get
 * more bits, and so on.
 *
 * <p>{@link #typeFor} follows llama.cpp's {@code src/llama-quant.cpp}: {@code llama_tensor_get_type}
 * (the outer wrapper: which tensors are quantised at all), {@code llama_tensor_get_type_impl} (the
 * per-role rules), {@code tensor_type_fallback} (rows that do not fill whole blocks) and
 * {@code llama_ftype_get_default_type} (the base type), at ggml-org/llama.cpp commit
 * 007dbbf3fd17eefe9b47fee45f48f7ba5e62b714. Older releases kept the same rules inside
 * {@code llama_tensor_get_type} in {@code llama.cpp}; the LLaMA-7B totals of build b2459's CI logs
 * are reproduced by these rules.
 *
 * <p>What the tensor inventory cannot tell apart is approximated:
 * <ul>
 *   <li>no architecture name, so the Falcon-only rules are never applied and LLaMA's "70B" type is
 *       recognised as a dense model of 80 layers with grouped-query attention;</li>
 *   <li>no fused attn_qkv tensors exist in the inventory, so that rule has no role to apply to;</li>
 *   <li>an importance matrix is assumed exactly where {@code llama-quantize} refuses to run without
 *       one (the IQ1/IQ2/IQ3_XXS/IQ3_XS mixes and Q2_K_S), and absent otherwise;</li>
 *   <li>llama.cpp counts attn_v and ffn_down tensors in file order; the inventory's order
 *       (layer by layer) stands in for it.</li>
 * </ul>
 */
public enum GgufFileType {
    F32("f32", 0, GgmlType.F32),
    F16("f16", 1, GgmlType.F16),
    BF16("bf16", 32, GgmlType.BF16),
    Q4_0("q4_0", 2, GgmlType.Q4_0),
    Q4_1("q4_1", 3, GgmlType.Q4_1),
    Q5_0("q5_0", 8, GgmlType.Q5_0),
    Q5_1("q5_1", 9, GgmlType.Q5_1),
    Q8_0("q8_0", 7, GgmlType.Q8_0),
    Q2_K("q2_k", 10, GgmlType.Q2_K),
    Q2_K_S("q2_k_s", 21, GgmlType.Q2_K),
    Q3_K_S("q3_k_s", 11, GgmlType.Q3_K),
    Q3_K_M("q3_k_m", 12, GgmlType.Q3_K),
    Q3_K_L("q3_k_l", 13, GgmlType.Q3_K),
    Q4_K_S("q4_k_s", 14, GgmlType.Q4_K),
    Q4_K_M("q4_k_m", 15, GgmlType.Q4_K),
    Q5_K_S("q5_k_s", 16, GgmlType.Q5_K),
    Q5_K_M("q5_k_m", 17, GgmlType.Q5_K),
    Q6_K("q6_k", 18, GgmlType.Q6_K),
    IQ1_S("iq1_s", 24, GgmlType.IQ1_S),
    IQ1_M("iq1_m", 31, GgmlType.IQ1_M),
    IQ2_XXS("iq2_xxs", 19, GgmlType.IQ2_XXS),
    IQ2_XS("iq2_xs", 20, GgmlType.IQ2_XS),
    // IQ2_S and IQ2_M are one size up from their names' tensor types.
    IQ2_S("iq2_s", 28, GgmlType.IQ2_XS),
    IQ2_M("iq2_m", 29, GgmlType.IQ2_S),
    IQ3_XXS("iq3_xxs", 23, GgmlType.IQ3_XXS),
    IQ3_XS("iq3_xs", 22, GgmlType.IQ3_S),
    IQ3_S("iq3_s", 26, GgmlType.IQ3_S),
    IQ3_M("iq3_m", 27, GgmlType.IQ3_S),
    IQ4_NL("iq4_nl", 25, GgmlType.IQ4_NL),
    IQ4_XS("iq4_xs", 30, GgmlType.IQ4_XS),
    TQ1_0("tq1_0", 36, GgmlType.TQ1_0),
    TQ2_0("tq2_0", 37, GgmlType.TQ2_0),
    MXFP4_MOE("mxfp4", 38, GgmlType.MXFP4);

    private static final String SOURCE = "llama.cpp src/llama-quant.cpp: llama_tensor_get_type, "
            + "llama_tensor_get_type_impl, tensor_type_fallback, llama_ftype_get_default_type "
            + "(ggml-org/llama.cpp commit 007dbbf3fd17eefe9b47fee45f48f7ba5e62b714)";

    private final String id;
    private final int llamaFtype;
    private final GgmlType baseType;

    GgufFileType(String id, int llamaFtype, GgmlType baseType) {
        this.id = id;
        this.llamaFtype = llamaFtype;
        this.baseType = baseType;
    }

    /** The lower-case name used with {@code --quant}, e.g. "q4_k_m". */
    public String id() {
        return id;
    }

    /** The {@code llama_ftype} number a GGUF file stores under {@code general.file_type}. */
    public int llamaFtype() {
        return llamaFtype;
    }

    /** The tensor type most weights get ({@code llama_ftype_get_default_type}). */
    public GgmlType baseType() {
        return baseType;
    }

    public String source() {
        return SOURCE;
    }

    /** The file type with this name ("q4_k_m", "Q4_K_M"; "mxfp4_moe" for mxfp4), or null. */
    public static GgufFileType fromId(String id) {
        if (id == null) {
            return null;
        }
        String key = id.trim().toLowerCase(Locale.ROOT);
        if (key.equals("mxfp4_moe")) {
            return MXFP4_MOE;
        }
        for (GgufFileType t : values()) {
            if (t.id.equals(key)) {
                return t;
            }
        }
        return null;
    }

    /** The file type a GGUF header's {@code general.file_type} names, or null. */
    public static GgufFileType fromLlamaFtype(int llamaFtype) {
        for (GgufFileType t : values()) {
            if (t.llamaFtype == llamaFtype) {
                return t;
            }
        }
        return null;
    }

    /**
     * The storage type llama.cpp gives this tensor in a file of this type.
     *
     * @param tensor    one tensor of {@code inventory} (layer and role decide the rules)
     * @param inventory the whole model, for layer counts and tied embeddings
     * @param arch      the model shape, for row lengths, grouped-query and expert counts
     */
    public GgmlType typeFor(Tensor tensor, TensorInventory inventory, Architecture arch) {
        if (!quantizable(tensor.role())) {
            return GgmlType.F32;
        }
        if (!baseType.isQuantized()) {
            return baseType;
        }
        Model model = new Model(inventory, arch);
        GgmlType chosen = chooseType(tensor, model);
        return fallback(chosen, model.rowLength(tensor));
    }

    /**
     * Norms, expert routers (ffn_gate_inp) and position embeddings are never quantised: llama.cpp's
     * {@code tensor_allows_quantization} skips them and convert_hf_to_gguf.py writes them as F32.
     */
    private static boolean quantizable(TensorRole role) {
        return role != TensorRole.NORM && role != TensorRole.ROUTER && role != TensorRole.POSITION_EMBEDDING;
    }

    // ---- llama_tensor_get_type_impl -------------------------------------------------------------

    private GgmlType chooseType(Tensor t, Model m) {
        TensorRole role = t.role();
        // A tied embedding is also the output head, so it gets the head's type.
        if (role == TensorRole.OUTPUT_HEAD || (role == TensorRole.TOKEN_EMBEDDING && m.tiedEmbeddings())) {
            return outputHeadType(m);
        }
        if (this == MXFP4_MOE) {
            // Only the 3-D expert tensors take MXFP4; everything else is Q8_0.
            return t.expert() ? GgmlType.MXFP4 : GgmlType.Q8_0;
        }
        if (role == TensorRole.TOKEN_EMBEDDING) {
            return tokenEmbeddingType();
        }
        if (isLowBitIq()) {
            return lowBitIqType(t, m);
        }
        switch (role) {
            case ATTN_V:
                return attnVType(m.attnVIndex(t), m);
            case ATTN_K:
                return attnKType(m);
            case ATTN_Q:
                return attnQType();
            case FFN_DOWN:
                return ffnDownType(m.ffnLayer(t), m);
            case ATTN_OUTPUT:
                return attnOutputType(m);
            case FFN_UP:
            case FFN_GATE:
                return ffnUpGateType(m.ffnLayer(t), m);
            default:
                return baseType;
        }
    }

    private GgmlType outputHeadType(Model m) {
        if (this == MXFP4_MOE) {
            return GgmlType.Q8_0;
        }
        // The head's rows run over the hidden size; Q8_0 when they do not fill the base type's blocks.
        if (!m.fits(baseType, m.hidden())) {
            return GgmlType.Q8_0;
        }
        if (is(IQ2_XXS, IQ2_XS, IQ3_XXS, IQ1_S, IQ2_S, IQ2_M, IQ1_M)) {
            return GgmlType.Q5_K;
        }
        return baseType == GgmlType.Q8_0 ? GgmlType.Q8_0 : GgmlType.Q6_K;
    }

    private GgmlType tokenEmbeddingType() {
        if (is(IQ2_XXS, IQ2_XS, IQ1_S, IQ1_M)) {
            return GgmlType.Q2_K;
        }
        if (is(IQ2_S, IQ2_M, IQ3_XXS)) {
            return GgmlType.IQ3_S;
        }
        if (is(TQ1_0, TQ2_0)) {
            return GgmlType.Q4_K;
        }
        return baseType;
    }

    /** The 1- and 2-bit IQ mixes share one rule block in llama.cpp. */
    private boolean isLowBitIq() {
        return is(IQ2_XXS, IQ2_XS, IQ1_S, IQ2_S, IQ2_M, IQ1_M);
    }

    private GgmlType lowBitIqType(Tensor t, Model m) {
        GgmlType step = is(IQ2_S, IQ2_M) ? GgmlType.IQ3_S : GgmlType.Q2_K;
        switch (t.role()) {
            case ATTN_V:
                return m.gqa() >= 4 || m.experts() >= 4 ? GgmlType.Q4_K : step;
            case ATTN_K:
                return m.experts() == 8 ? GgmlType.Q4_K : baseType;
            case FFN_DOWN:
                // llama.cpp uses the raw ffn_down counter here, even for MoE models.
                return m.ffnDownIndex(t) < m.layers() / 8 ? step : baseType;
            case ATTN_OUTPUT:
                if (m.experts() == 8) {
                    return GgmlType.Q5_K;
                }
                if (is(IQ1_S, IQ1_M)) {
                    return GgmlType.IQ2_XXS;
                }
                return is(IQ2_S, IQ2_M) ? GgmlType.IQ3_S : baseType;
            default:
                return baseType;
        }
    }

    private GgmlType attnVType(int index, Model m) {
        GgmlType type = attnVByFileType(index, m);
        // LLaMA-2-70B: 8 query heads share each V head, so more bits cost little.
        if (m.isLlama70b() && (type == GgmlType.Q3_K || type == GgmlType.Q4_K)) {
            type = GgmlType.Q5_K;
        }
        // Mixtral-style 8-expert models: the shared attention is small next to the experts.
        if (m.experts() == 8) {
            type = GgmlType.Q8_0;
        }
        return type;
    }

    private GgmlType attnVByFileType(int index, Model m) {
        boolean gqa4 = m.gqa() >= 4;
        switch (this) {
            case Q2_K:
                return gqa4 ? GgmlType.Q4_K : GgmlType.Q3_K;
            case Q2_K_S:
                return gqa4 ? GgmlType.Q4_K : baseType;
            case IQ3_XXS:
                return gqa4 ? GgmlType.Q4_K : hasImatrix() ? GgmlType.IQ3_XXS : GgmlType.IQ3_S;
            case IQ3_XS:
            case IQ3_S:
                return gqa4 ? GgmlType.Q4_K : baseType;
            case IQ3_M:
                return GgmlType.Q4_K;
            case Q3_K_M:
                return index < 2 ? GgmlType.Q5_K : GgmlType.Q4_K;
            case Q3_K_L:
                return GgmlType.Q5_K;
            case IQ4_NL:
            case IQ4_XS:
                return gqa4 ? GgmlType.Q5_K : baseType;
            case Q4_K_M:
            case Q5_K_M:
                return useMoreBits(index, m.attnVCount()) ? GgmlType.Q6_K : baseType;
            case Q4_K_S:
                return index < 4 ? GgmlType.Q5_K : baseType;
            default:
                return baseType;
        }
    }

    private GgmlType attnKType(Model m) {
        if (m.experts() == 8) {
            return GgmlType.Q8_0;
        }
        return attnQType();
    }

    private GgmlType attnQType() {
        if (this == IQ3_XS) {
            return GgmlType.IQ3_XXS;
        }
        return this == IQ3_XXS ? GgmlType.IQ2_S : baseType;
    }

    private GgmlType ffnDownType(int layer, Model m) {
        int n = m.layers();
        boolean firstEighth = layer < n / 8;
        switch (this) {
            case Q2_K:
                return GgmlType.Q3_K;
            case Q2_K_S:
                return firstEighth ? GgmlType.Q4_K : baseType;
            case IQ3_XXS:
                if (hasImatrix()) {
                    return baseType;
                }
                return firstEighth ? GgmlType.Q4_K : GgmlType.Q3_K;
            case Q3_K_M:
                // Falcon keeps Q3_K outside use_more_bits layers; other architectures get Q4_K.
                return layer < n / 16 ? GgmlType.Q5_K : GgmlType.Q4_K;
            case IQ3_M:
                return firstEighth || (m.experts() == 8 && useMoreBits(layer, n)) ? GgmlType.Q4_K : baseType;
            case Q3_K_L:
                return GgmlType.Q5_K;
            case Q4_K_M:
            case Q5_K_M:
                return useMoreBits(layer, n) ? GgmlType.Q6_K : baseType;
            case IQ4_NL:
            case IQ4_XS:
                return firstEighth && !hasImatrix() ? GgmlType.Q5_K : baseType;
            case Q4_K_S:
                return firstEighth ? GgmlType.Q5_K : baseType;
            case Q4_0:
                return firstEighth && hasImatrix() ? GgmlType.Q4_1 : baseType;
            case Q5_0:
                return firstEighth && hasImatrix() ? GgmlType.Q5_1 : baseType;
            default:
                return baseType;
        }
    }

    private GgmlType attnOutputType(Model m) {
        if (m.experts() == 8) {
            boolean bumped = is(Q2_K, IQ3_XS, IQ3_XXS, Q3_K_S, Q3_K_M, IQ4_NL, Q4_K_S, Q4_K_M, IQ3_S, IQ3_M, IQ4_XS);
            return bumped ? GgmlType.Q5_K : baseType;
        }
        switch (this) {
            case Q2_K:
                return GgmlType.Q3_K;
            case IQ3_XXS:
                return GgmlType.IQ3_S;
            case Q3_K_M:
            case IQ3_M:
                return GgmlType.Q4_K;
            case Q3_K_L:
                return GgmlType.Q5_K;
            default:
                return baseType;
        }
    }

    private GgmlType ffnUpGateType(int layer, Model m) {
        int n = m.layers();
        boolean middle = layer >= n / 8 && layer < 7 * n / 8;
        return this == IQ3_XS && middle ? GgmlType.IQ3_XXS : baseType;
    }

    /** llama.cpp's use_more_bits: the first and last eighth of the layers and every third between. */
    private static boolean useMoreBits(int index, int count) {
        return index < count / 8 || index >= 7 * count / 8 || (index - count / 8) % 3 == 2;
    }

    /** Whether llama-quantize insists on an importance matrix for this mix (and so one was used). */
    private boolean hasImatrix() {
        return is(IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ2_M, IQ3_XXS, IQ3_XS, Q2_K_S);
    }

    private boolean is(GgufFileType... types) {
        for (GgufFileType t : types) {
            if (this == t) {
                return true;
            }
        }
        return false;
    }

    // ---- tensor_type_fallback --------------------------------------------------------------------

    /**
     * ggml stores a row as whole blocks; when the row length is not a multiple of the block size
     * llama.cpp picks a 32-element type of similar size, and F16 if even that does not fit.
     * (llama.cpp throws for a 32-element type that does not fit; an estimate uses F16 instead.)
     */
    static GgmlType fallback(GgmlType type, long rowLength) {
        if (rowLength <= 0 || type.fitsRow(rowLength)) {
            return type;
        }
        GgmlType next = fallbackFor(type);
        return next.fitsRow(rowLength) ? next : GgmlType.F16;
    }

    private static GgmlType fallbackFor(GgmlType type) {
        switch (type) {
            case IQ1_S:
            case IQ1_M:
            case IQ2_XXS:
            case IQ2_XS:
            case IQ2_S:
            case IQ3_XXS:
            case IQ3_S:
            case IQ4_XS:
                return GgmlType.IQ4_NL;
            case Q2_K:
            case Q3_K:
            case TQ1_0:
            case TQ2_0:
                return GgmlType.Q4_0;
            case Q4_K:
                return GgmlType.Q5_0;
            case Q5_K:
                return GgmlType.Q5_1;
            case Q6_K:
                return GgmlType.Q8_0;
            default:
                return GgmlType.F16;
        }
    }

    // ---- what llama.cpp reads from the model --------------------------------------------------------

    /** The model facts the rules look at, derived from the inventory and the architecture. */
    private static final class Model {
        private final TensorInventory inventory;
        private final Architecture arch;

        Model(TensorInventory inventory, Architecture arch) {
            this.inventory = inventory;
            this.arch = arch;
        }

        /** n_layer: how many blocks the ffn counters run over. */
        int layers() {
            return inventory.blockLayers();
        }

        /** n_expert (1 for a dense model). */
        int experts() {
            return arch.experts() == null ? 1 : Math.max(1, arch.experts());
        }

        /** n_gqa(): query heads per KV head, integer division as in llama_hparams. */
        int gqa() {
            Integer heads = arch.heads();
            Integer kv = arch.effectiveKvHeads();
            if (heads == null || kv == null || kv <= 0) {
                return 1;
            }
            return heads / kv;
        }

        /** LLM_TYPE_70B: llama.cpp names an 80-layer LLaMA with fewer KV heads than heads so. */
        boolean isLlama70b() {
            Integer heads = arch.heads();
            Integer kv = arch.effectiveKvHeads();
            return experts() == 1 && arch.totalLayers() == 80 && heads != null && kv != null && kv < heads;
        }

        /** Without an output tensor, the token embedding doubles as the head. */
        boolean tiedEmbeddings() {
            return inventory.tensors().stream().noneMatch(t -> t.role() == TensorRole.OUTPUT_HEAD);
        }

        long hidden() {
            return arch.hidden() == null ? 0 : arch.hidden();
        }

        boolean fits(GgmlType type, long rowLength) {
            return rowLength <= 0 || type.fitsRow(rowLength);
        }

        int attnVCount() {
            return (int) inventory.tensors().stream().filter(t -> t.role() == TensorRole.ATTN_V).count();
        }

        /** i_attention_wv: how many attn_v tensors come before this one. */
        int attnVIndex(Tensor t) {
            return ordinal(t);
        }

        /** i_ffn_down: how many ffn_down tensors come before this one. */
        int ffnDownIndex(Tensor t) {
            return ordinal(t);
        }

        /** The layer the ffn rules use: the block index for MoE, the running counter otherwise. */
        int ffnLayer(Tensor t) {
            return experts() > 1 ? Math.max(0, t.layer()) : ordinal(t);
        }

        /**
         * Position of {@code t} among the inventory's tensors of its role: all of earlier layers,
         * plus those of its own layer listed before it (found by identity; a copy counts as first).
         */
        int ordinal(Tensor t) {
            int before = 0;
            int sameLayerBefore = 0;
            int sameLayerSeen = 0;
            boolean found = false;
            List<Tensor> all = inventory.tensors();
            for (Tensor other : all) {
                if (other.role() != t.role()) {
                    continue;
                }
                if (other.layer() < t.layer()) {
                    before++;
                } else if (other.layer() == t.layer()) {
                    if (other == t) {
                        found = true;
                        sameLayerBefore = sameLayerSeen;
                    }
                    sameLayerSeen++;
                }
            }
            return before + (found ? sameLayerBefore : 0);
        }

        /** ne[0], the length of one stored row; 0 when the architecture does not say. */
        long rowLength(Tensor t) {
            switch (t.role()) {
                case TOKEN_EMBEDDING:
                case OUTPUT_HEAD:
                case ATTN_Q:
                case ATTN_K:
                case FFN_UP:
                case FFN_GATE:
                    // Looked up by role: MLA's q_b rows run over q_lora_rank, but the hidden size
                    // stands for every query tensor, as it always has here.
                    return hidden();
                case ATTN_V:
                    // MLA's kv_b projection reads the compressed latent.
                    return arch.isMla() && arch.kvLoraRank() != null ? arch.kvLoraRank() : hidden();
                case ATTN_OUTPUT:
                    return attnOutputRow();
                case FFN_DOWN:
                    return ffnDownRow(t);
                default:
                    return 0;
            }
        }

        private long attnOutputRow() {
            Integer heads = arch.heads();
            Integer headDim = arch.isMla() && arch.vHeadDim() != null ? arch.vHeadDim() : arch.effectiveHeadDim();
            if (heads == null || headDim == null) {
                return hidden();
            }
            return (long) heads * headDim;
        }

        private long ffnDownRow(Tensor t) {
            boolean denseLayer = !arch.isMoe() || (arch.denseLayers() != null && t.layer() < arch.denseLayers());
            if (denseLayer) {
                return arch.ffn() == null ? 0 : arch.ffn();
            }
            Integer expertFfn = arch.expertFfn() != null ? arch.expertFfn() : arch.ffn();
            if (expertFfn == null) {
                return 0;
            }
            if (t.expert()) {
                return expertFfn;
            }
            // Shared experts are stored side by side as one wider matrix.
            int shared = arch.sharedExperts() == null ? 1 : Math.max(1, arch.sharedExperts());
            return (long) expertFfn * shared;
        }
    }
}
