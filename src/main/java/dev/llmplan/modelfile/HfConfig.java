package dev.llmplan.modelfile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.AttentionKind;
import dev.llmplan.engine.FfnType;
import dev.llmplan.engine.ModelType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a Hugging Face {@code config.json} says about a model's shape. Field names and defaults are
 * those of each transformers {@code configuration_<model_type>.py} (a field the file leaves out
 * takes the class default, e.g. {@code tie_word_embeddings}). Model types whose layout the generic
 * fields get wrong have a dedicated reader ({@link ConfigReaders}) that also counts the parameters
 * exactly ({@code parameters}; null: derive them from the architecture). Unknown model types are read
 * from the generic fields, say so in {@link #notes} and are {@code approximate}.
 */
public record HfConfig(String modelType, ModelType type, Architecture arch, String nativePrecision,
                       QuantConfig quant, String name, List<String> notes, Long parameters, Long activeParameters,
                       ConfigReaders.VisionPart vision, boolean approximate) {

    /** model_type values read by the common fields below (Llama-like and the older GPT families). */
    static final Set<String> KNOWN = Set.of("llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe",
            "gemma", "gemma2", "phi", "phi3", "gpt2", "gptj", "opt", "bert", "roberta", "deepseek", "deepseek_v2",
            "deepseek_v3", "gpt_oss", "qwen2_5", "mistral3", "yi");

    /** Whether {@code modelType} has a reading of its own (here or in {@link ConfigReaders}). */
    public static boolean hasReader(String modelType) {
        String t = modelType == null ? "" : modelType.toLowerCase(Locale.ROOT);
        return KNOWN.contains(t) || ConfigReaders.forFamily(t) != null;
    }

    /** The exact count of a dedicated reader, else the architecture's tensors (biases not counted). */
    static long parameters(HfConfig hf) {
        if (hf.parameters() != null) {
            return hf.parameters();
        }
        return dev.llmplan.engine.TensorInventory.of(hf.arch(), hf.type()).total();
    }

    public static HfConfig of(JsonNode root) {
        String family = ConfigReaders.family(root);
        ConfigReaders.Reader reader = ConfigReaders.forFamily(family);
        if (reader == null) {
            return generic(root);
        }
        List<String> notes = new ArrayList<>();
        ConfigReaders.Result r;
        try {
            r = reader.read(root, notes);
        } catch (IllegalArgumentException | NullPointerException e) {
            // A config missing a field its reader needs: read what the generic fields give, and say so.
            HfConfig g = generic(root);
            List<String> n = new ArrayList<>(g.notes());
            n.add(0, "the " + family + " reader could not use this config (" + e.getMessage() + "): generic fields read");
            return new HfConfig(g.modelType(), g.type(), g.arch(), g.nativePrecision(), g.quant(), g.name(), n, null, null,
                    null, true);
        }
        String name = text(root, "_name_or_path");
        return new HfConfig(family, r.type(), r.arch(), precision(dtype(root, root)),
                QuantConfig.of(root.path("quantization_config"), notes), name == null || name.isBlank() ? null : name,
                notes, r.parameters(), r.activeParameters(), r.vision(), false);
    }

    private static String dtype(JsonNode root, JsonNode c) {
        String dtype = text(root, "torch_dtype");
        if (dtype == null) {
            dtype = text(root, "dtype");
        }
        if (dtype == null) {
            dtype = text(c, "torch_dtype");
        }
        return dtype;
    }

    /** The common fields: the Llama-like and older families in {@link #KNOWN}, and any other type as a guess. */
    private static HfConfig generic(JsonNode root) {
        List<String> notes = new ArrayList<>();
        String modelType = text(root, "model_type");
        JsonNode c = root;
        // Multimodal wrappers (Gemma 3, Mistral 3, LLaVA-style) keep the language model in text_config.
        if (root.path("text_config").isObject()) {
            c = root.get("text_config");
            notes.add("read the language model from text_config; vision tower parameters are not in the derived count");
        }
        String family = modelType == null ? text(c, "model_type") : modelType;
        family = family == null ? "unknown" : family.toLowerCase(Locale.ROOT);
        boolean approximate = !KNOWN.contains(family);
        if (approximate) {
            notes.add("model_type '" + family + "' has no dedicated reading: shape taken from the generic config fields"
                    + " (num_hidden_layers, hidden_size, num_attention_heads, intermediate_size, ...)");
        }
        Architecture.Builder b = Architecture.builder();
        ModelType type = switch (family) {
            case "t5", "bart" -> ModelType.ENCODER_DECODER;
            case "bert", "roberta" -> ModelType.ENCODER;
            default -> root.path("is_encoder_decoder").asBoolean(false) ? ModelType.ENCODER_DECODER : ModelType.DECODER;
        };
        b.hidden = firstInt(c, "hidden_size", "n_embd", "d_model", "model_dim");
        b.heads = firstInt(c, "num_attention_heads", "n_head", "n_heads", "num_heads", "encoder_attention_heads");
        b.vocab = firstInt(c, "vocab_size", "padded_vocab_size", "n_vocab");
        b.maxContext = firstInt(c, "max_position_embeddings", "n_positions", "max_seq_len", "seq_length",
                "max_sequence_length", "n_ctx");
        b.headDim = firstInt(c, "head_dim", "d_kv");
        b.kvHeads = firstInt(c, "num_key_value_heads", "num_kv_heads", "n_head_kv", "multi_query_group_num");
        b.ffn = firstInt(c, "intermediate_size", "n_inner", "ffn_dim", "d_ff", "ffn_hidden_size", "decoder_ffn_dim");
        if (type == ModelType.ENCODER_DECODER) {
            b.encoderLayers = firstInt(c, "encoder_layers", "num_layers");
            b.decoderLayers = firstInt(c, "decoder_layers", "num_decoder_layers");
            if (b.decoderLayers == null) {
                b.decoderLayers = b.encoderLayers;
            }
        } else {
            b.layers = firstInt(c, "num_hidden_layers", "n_layer", "num_layers", "n_layers");
        }
        if (c.path("tie_word_embeddings").isBoolean()) {
            b.tiedEmbeddings = c.get("tie_word_embeddings").asBoolean();
        } else if (root.path("tie_word_embeddings").isBoolean()) {
            b.tiedEmbeddings = root.get("tie_word_embeddings").asBoolean();
        } else {
            b.tiedEmbeddings = tiedByDefault(family);
        }
        family(family, c, b, notes);
        slidingWindow(family, c, b, notes);
        moe(family, c, b);
        if (b.attention == null && b.heads != null) {
            Integer kv = b.kvHeads == null ? b.heads : b.kvHeads;
            b.attention = kv == 1 && b.heads > 1 ? AttentionKind.MQA : kv.equals(b.heads) ? AttentionKind.MHA : AttentionKind.GQA;
        }
        String name = text(root, "_name_or_path");
        return new HfConfig(family, type, b.build(), precision(dtype(root, c)), QuantConfig.of(root.path("quantization_config"), notes),
                name == null || name.isBlank() ? null : name, notes, null, null, null, approximate);
    }

    /** transformers' per-class default of tie_word_embeddings when the file leaves it out. */
    private static Boolean tiedByDefault(String family) {
        return switch (family) {
            case "llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "phi", "phi3", "gptj",
                    "gpt_neox", "deepseek", "deepseek_v2", "deepseek_v3", "gpt_oss", "yi" -> false;
            default -> true; // PretrainedConfig default, and gemma, gpt2, opt, bloom, falcon, mpt, t5, bart
        };
    }

    private static void family(String family, JsonNode c, Architecture.Builder b, List<String> notes) {
        switch (family) {
            case "llama", "mistral", "mixtral", "qwen2", "qwen2_5", "qwen2_moe", "qwen3", "qwen3_moe", "phi3",
                    "deepseek", "deepseek_v2", "deepseek_v3", "gpt_oss", "mistral3", "yi" -> {
                b.ffnType = FfnType.SWIGLU;
                b.positionEmbedding = "rope";
            }
            case "gemma", "gemma2", "gemma3", "gemma3_text" -> {
                b.ffnType = FfnType.GEGLU;
                b.positionEmbedding = "rope";
                // Gemma2DecoderLayer / Gemma3DecoderLayer also normalise the attention's and the MLP's outputs.
                b.normsPerLayer = family.equals("gemma") ? null : 4;
                // Gemma2Config attn_logit_softcapping defaults to 50.0; Gemma 3 dropped it (null) for q/k norms.
                JsonNode cap = c.path("attn_logit_softcapping");
                b.attentionSoftcap = cap.isNumber() ? Double.valueOf(cap.asDouble())
                        : family.equals("gemma2") && cap.isMissingNode() ? Double.valueOf(50.0) : null;
            }
            case "gpt2" -> {
                b.ffnType = FfnType.GELU;
                b.positionEmbedding = "learned";
                if (b.ffn == null && b.hidden != null) {
                    b.ffn = 4 * b.hidden; // GPT2Config n_inner=None means 4 * n_embd
                }
            }
            case "gptj" -> {
                b.ffnType = FfnType.GELU;
                b.positionEmbedding = "rope";
                b.normsPerLayer = 1; // GPTJBlock: attention and MLP in parallel on one ln_1
                if (b.ffn == null && b.hidden != null) {
                    b.ffn = 4 * b.hidden; // GPTJConfig n_inner=None means 4 * n_embd
                }
            }
            case "gpt_neox", "phi" -> {
                b.ffnType = FfnType.GELU;
                b.positionEmbedding = "rope";
                // PhiDecoderLayer: attention and MLP in parallel on one input_layernorm (GPT-NeoX keeps two).
                b.normsPerLayer = family.equals("phi") ? 1 : null;
            }
            case "opt" -> {
                b.ffnType = FfnType.RELU;
                b.positionEmbedding = "learned";
            }
            case "bloom" -> {
                b.ffnType = FfnType.GELU;
                b.positionEmbedding = "alibi";
                b.ffn = b.ffn == null && b.hidden != null ? 4 * b.hidden : b.ffn; // BloomMLP: 4 * hidden_size
            }
            case "falcon" -> {
                b.ffnType = FfnType.GELU;
                boolean alibi = c.path("alibi").asBoolean(false);
                b.positionEmbedding = alibi ? "alibi" : "rope";
                if (b.ffn == null && b.hidden != null) {
                    b.ffn = 4 * b.hidden; // FalconConfig ffn_hidden_size=None means 4 * hidden_size
                }
                boolean newArch = c.path("new_decoder_architecture").asBoolean(false);
                if (!newArch && c.path("multi_query").asBoolean(true)) {
                    b.kvHeads = 1; // FalconConfig multi_query defaults to true (Falcon-7B)
                }
                if (!newArch && c.path("parallel_attn").asBoolean(true)) {
                    b.normsPerLayer = 1; // one input_layernorm feeds attention and MLP in parallel
                }
            }
            case "mpt" -> {
                b.ffnType = FfnType.GELU;
                JsonNode attn = c.path("attn_config");
                b.positionEmbedding = attn.path("alibi").asBoolean(true) ? "alibi" : "learned";
                Integer kv = intOrNull(attn.path("kv_n_heads"));
                if (kv != null && "grouped_query_attention".equals(attn.path("attn_type").asText())) {
                    b.kvHeads = kv;
                } else if ("multiquery_attention".equals(attn.path("attn_type").asText())) {
                    b.kvHeads = 1;
                }
                int ratio = c.path("expansion_ratio").asInt(4);
                if (b.ffn == null && b.hidden != null) {
                    b.ffn = ratio * b.hidden;
                }
            }
            case "t5" -> {
                String proj = c.path("feed_forward_proj").asText("relu");
                b.ffnType = proj.startsWith("gated") ? FfnType.GEGLU : FfnType.RELU;
                b.positionEmbedding = "relative";
                b.maxContext = null; // relative position buckets: no fixed maximum
            }
            case "bart" -> {
                b.ffnType = FfnType.GELU;
                b.positionEmbedding = "learned";
                b.heads = firstInt(c, "decoder_attention_heads", "encoder_attention_heads");
            }
            case "bert", "roberta" -> {
                b.ffnType = FfnType.GELU;
                b.positionEmbedding = "learned";
            }
            default -> {
                String act = firstText(c, "hidden_act", "activation_function", "hidden_activation");
                // Without a family we cannot tell gated from plain MLPs by the activation alone; a
                // separate gate is the modern default for silu models.
                if (act != null && (act.contains("silu") || act.contains("swish"))) {
                    b.ffnType = FfnType.SWIGLU;
                    notes.add("assumed a gated SwiGLU MLP from hidden_act " + act);
                } else {
                    b.ffnType = FfnType.GELU;
                    notes.add("assumed a plain two-matrix MLP (hidden_act " + act + ")");
                }
                b.positionEmbedding = c.has("rope_theta") ? "rope" : null;
            }
        }
        if ("deepseek_v2".equals(family) || "deepseek_v3".equals(family) || c.has("kv_lora_rank")) {
            b.kvLoraRank = intOrNull(c.path("kv_lora_rank"));
            b.qLoraRank = intOrNull(c.path("q_lora_rank"));
            b.ropeHeadDim = intOrNull(c.path("qk_rope_head_dim"));
            b.vHeadDim = intOrNull(c.path("v_head_dim"));
            Integer nope = intOrNull(c.path("qk_nope_head_dim"));
            if (nope != null && b.ropeHeadDim != null) {
                b.headDim = nope + b.ropeHeadDim;
            }
            if (b.kvLoraRank != null) {
                b.attention = AttentionKind.MLA;
            }
        }
    }

    /**
     * Sliding windows: {@code layer_types} (transformers 4.5x: "sliding_attention" / "full_attention"),
     * else {@code sliding_window_pattern} (Gemma 3: every 6th layer is global), else the family's
     * fixed alternation (Gemma 2: every other layer).
     */
    private static void slidingWindow(String family, JsonNode c, Architecture.Builder b, List<String> notes) {
        Integer window = intOrNull(c.path("sliding_window"));
        if (window == null || window <= 0) {
            return;
        }
        if (c.has("use_sliding_window") && !c.get("use_sliding_window").asBoolean()) {
            return; // Qwen2/Qwen3 configs name a window but leave it switched off
        }
        int layers = b.layers == null ? 0 : b.layers;
        JsonNode types = c.path("layer_types");
        if (types.isArray() && types.size() > 0) {
            int full = 0;
            int sliding = 0;
            for (JsonNode t : types) {
                String s = t.asText();
                if (s.contains("sliding")) {
                    sliding++;
                } else {
                    full++;
                }
            }
            if (sliding == 0) {
                return;
            }
            b.slidingWindow = window;
            b.fullAttentionEvery = full == 0 ? null : Math.max(1, types.size() / full);
            return;
        }
        b.slidingWindow = window;
        Integer pattern = intOrNull(c.path("sliding_window_pattern"));
        if (pattern != null && pattern > 1) {
            b.fullAttentionEvery = pattern;
        } else if (family.equals("gemma2")) {
            b.fullAttentionEvery = 2; // Gemma2DecoderLayer: is_sliding = not bool(layer_idx % 2)
        } else if (family.startsWith("gemma3")) {
            b.fullAttentionEvery = 6; // Gemma3TextConfig sliding_window_pattern default 6
        } else if (family.equals("gpt_oss")) {
            b.fullAttentionEvery = 2; // GptOssConfig default layer_types alternate sliding / full
        }
        if (layers > 0 && c.has("max_window_layers") && c.path("max_window_layers").asInt() < layers) {
            notes.add("max_window_layers " + c.path("max_window_layers").asInt() + ": treated as a window on every layer");
        }
    }

    private static void moe(String family, JsonNode c, Architecture.Builder b) {
        Integer experts = firstInt(c, "num_local_experts", "num_experts", "n_routed_experts");
        if (experts == null || experts <= 1) {
            return;
        }
        b.experts = experts;
        b.expertsPerToken = firstInt(c, "num_experts_per_tok", "experts_per_token", "num_experts_per_token", "moe_top_k");
        Integer moeFfn = firstInt(c, "moe_intermediate_size");
        b.expertFfn = moeFfn != null ? moeFfn : b.ffn; // Mixtral / gpt-oss: intermediate_size is per expert
        Integer shared = firstInt(c, "n_shared_experts");
        Integer sharedFfn = firstInt(c, "shared_expert_intermediate_size");
        if (shared != null) {
            b.sharedExperts = shared;
        } else if (sharedFfn != null && b.expertFfn != null && b.expertFfn > 0 && sharedFfn % b.expertFfn == 0) {
            // Qwen2-MoE: one shared expert of shared_expert_intermediate_size = n x the routed width
            b.sharedExperts = sharedFfn / b.expertFfn;
        }
        b.denseLayers = firstInt(c, "first_k_dense_replace");
    }

    /** torch_dtype as the catalog's precision names. */
    static String precision(String dtype) {
        if (dtype == null) {
            return null;
        }
        return switch (dtype.toLowerCase(Locale.ROOT).replace("torch.", "")) {
            case "bfloat16" -> "bf16";
            case "float16", "half" -> "fp16";
            case "float32", "float" -> "fp32";
            default -> null;
        };
    }

    /** A string field, made safe to print ({@link FileText}): model_type and the name reach the terminal. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? FileText.clean(v.asText()) : null;
    }

    private static String firstText(JsonNode n, String... fields) {
        for (String f : fields) {
            String v = text(n, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    static Integer firstInt(JsonNode n, String... fields) {
        for (String f : fields) {
            Integer v = intOrNull(n.path(f));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A positive integer field, or null (absent, null, not a whole number, or out of int range). */
    static Integer intOrNull(JsonNode v) {
        if (v == null || !v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToInt()) {
            return null;
        }
        int i = v.asInt();
        return i > 0 ? i : null;
    }
}
