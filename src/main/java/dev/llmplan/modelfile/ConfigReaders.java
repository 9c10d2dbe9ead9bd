package dev.llmplan.modelfile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.AttentionKind;
import dev.llmplan.engine.FfnType;
import dev.llmplan.engine.ModelType;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dedicated config.json readers for model types whose layout the generic fields get wrong: each reads its
 * own field names with its configuration class's defaults and counts the parameters of its module layout
 * exactly (biases, norms, tied heads, position tables). Field names and defaults are those of the
 * transformers {@code configuration_<type>.py} or, for remote-code models, the {@code configuration_*.py}
 * the repository ships; each reader names its layout. Multimodal readers count the vision tower apart.
 */
final class ConfigReaders {
    private ConfigReaders() {
    }

    /** What a reader makes of a config: the language model's shape, the exact total, the vision part. */
    record Result(ModelType type, Architecture arch, long parameters, Long activeParameters,
                  VisionPart vision) {
    }

    /** A vision tower (with its projector) and what one image costs the language model. */
    record VisionPart(long parameters, Integer imageTokens, Integer imageSize, String notes, Integer layers, Integer hidden,
                      Integer ffn, Integer patchSize, Integer tiles, Integer crossAttentionLayers, Integer heads) {
        VisionPart(long parameters, Integer imageTokens, Integer imageSize, String notes) {
            this(parameters, imageTokens, imageSize, notes, null, null, null, null, null, null, null);
        }
    }

    interface Reader {
        Result read(JsonNode c, List<String> notes);
    }

    private static final Map<String, Reader> READERS = Map.ofEntries(
            Map.entry("chatglm", ConfigReaders::chatglm),
            Map.entry("qwen", ConfigReaders::qwen),
            Map.entry("baichuan", ConfigReaders::baichuan),
            Map.entry("internlm", ConfigReaders::internlm),
            Map.entry("internlm2", ConfigReaders::internlm2),
            Map.entry("phi3small", ConfigReaders::phi3small),
            Map.entry("falcon", ConfigReaders::falcon),
            Map.entry("refinedwebmodel", ConfigReaders::falcon),
            Map.entry("refinedweb", ConfigReaders::falcon),
            Map.entry("mpt", ConfigReaders::mpt),
            Map.entry("gpt_bigcode", ConfigReaders::gptBigcode),
            Map.entry("gpt_neox", ConfigReaders::gptNeox),
            Map.entry("bloom", ConfigReaders::bloom),
            Map.entry("t5", ConfigReaders::t5),
            Map.entry("mt5", ConfigReaders::t5),
            Map.entry("umt5", ConfigReaders::t5),
            Map.entry("bart", ConfigReaders::bart),
            Map.entry("mbart", ConfigReaders::bart),
            Map.entry("whisper", ConfigReaders::whisper),
            Map.entry("llava", ConfigReaders::llava),
            Map.entry("qwen2_vl", ConfigReaders::qwen2vl),
            Map.entry("qwen2_5_vl", ConfigReaders::qwen2vl),
            Map.entry("gemma3", ConfigReaders::gemma3),
            Map.entry("gemma3_text", ConfigReaders::gemma3),
            Map.entry("mllama", ConfigReaders::mllama),
            Map.entry("mamba", ConfigReaders::mamba),
            Map.entry("falcon_mamba", ConfigReaders::mamba),
            Map.entry("mamba_ssm", ConfigReaders::mamba),
            Map.entry("jamba", ConfigReaders::jamba),
            Map.entry("rwkv", ConfigReaders::rwkv),
            Map.entry("rwkv6", ConfigReaders::rwkv6));

    /** The reader of {@code family} (lower-case model_type), or null. */
    static Reader forFamily(String family) {
        return READERS.get(family);
    }

    static java.util.Set<String> families() {
        return READERS.keySet();
    }

    /**
     * The model type a config describes: its model_type, else what its keys or architectures give away
     * (a ChatGLM3 copy without model_type, a mamba_ssm config with d_model and ssm_cfg).
     */
    static String family(JsonNode root) {
        String t = HfConfig.text(root, "model_type");
        if (t != null && !t.isBlank()) {
            return t.toLowerCase(Locale.ROOT);
        }
        String arch = root.path("architectures").path(0).asText("");
        if (arch.startsWith("ChatGLM")) {
            return "chatglm";
        }
        if (root.has("ssm_cfg") && root.has("d_model")) {
            return "mamba_ssm";
        }
        JsonNode text = root.path("text_config");
        String inner = text.isObject() ? HfConfig.text(text, "model_type") : null;
        return inner == null ? "unknown" : inner.toLowerCase(Locale.ROOT);
    }

    // ---- counting helpers (exact module layouts) ----

    /**
     * A Llama-style decoder: q/k/v/o projections (optionally with biases), a gated or plain MLP, two
     * per-layer norms of {@code normsPerLayer} x hidden values, a final norm, the embedding and an
     * untied head unless tied.
     */
    static long llamaLike(long layers, long h, long heads, long kv, long hd, long ffn, long vocab, boolean tied,
                          boolean qkvBias, boolean oBias, boolean gated, long normValuesPerLayer, long finalNorm) {
        long attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h;
        if (qkvBias) {
            attn += heads * hd + 2 * kv * hd;
        }
        if (oBias) {
            attn += h;
        }
        long mlp = (gated ? 3 : 2) * h * ffn;
        return layers * (attn + mlp + normValuesPerLayer) + vocab * h + (tied ? 0 : vocab * h) + finalNorm;
    }

    private static Architecture.Builder decoder(int layers, int hidden, int heads, int kvHeads, int headDim, int ffn,
                                                FfnType ffnType, int vocab, Integer maxContext, boolean tied,
                                                String position) {
        Architecture.Builder b = Architecture.builder();
        b.layers = layers;
        b.hidden = hidden;
        b.heads = heads;
        b.kvHeads = kvHeads;
        b.headDim = headDim;
        b.ffn = ffn;
        b.ffnType = ffnType;
        b.vocab = vocab;
        b.maxContext = maxContext;
        b.tiedEmbeddings = tied;
        b.positionEmbedding = position;
        b.attention = kvHeads == 1 && heads > 1 ? AttentionKind.MQA : kvHeads == heads ? AttentionKind.MHA : AttentionKind.GQA;
        return b;
    }

    private static Result decoderResult(Architecture.Builder b, long params) {
        return new Result(ModelType.DECODER, b.build(), params, null, null);
    }

    // ---- readers ----

    /**
     * ChatGLM (THUDM remote code). v1 (chatglm-6b: inner_hidden_size, max_sequence_length): GLM blocks with
     * biased QKV and dense, two LayerNorms (weight and bias), a 4h GELU MLP with biases, the head tied to the
     * word embeddings. v2/v3 and GLM-4 (ffn_hidden_size, multi_query_group_num, kv_channels,
     * padded_vocab_size, seq_length): fused QKV with bias (add_qkv_bias), no other biases
     * (add_bias_linear), SwiGLU whose dense_h_to_4h is 2 x ffn_hidden_size, RMSNorm, an untied output_layer.
     */
    static Result chatglm(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size");
        int layers = req(c, "num_layers", "num_hidden_layers");
        int heads = req(c, "num_attention_heads");
        if (c.has("inner_hidden_size") || !c.has("ffn_hidden_size") && c.has("max_sequence_length")) {
            int ffn = opt(c, 4 * h, "inner_hidden_size");
            int vocab = req(c, "vocab_size");
            long per = (long) h * 3 * h + 3L * h + (long) h * h + h + (long) h * ffn + ffn + (long) ffn * h + h + 4L * h;
            long total = layers * per + (long) vocab * h + 2L * h;
            notes.add("ChatGLM-6B (v1) layout: biased QKV and dense, GELU MLP 4h with biases, LayerNorms, head tied to the"
                    + " word embeddings; 2D rotary positions");
            return decoderResult(decoder(layers, h, heads, heads, h / heads, ffn, FfnType.GELU, vocab,
                    optNull(c, "max_sequence_length", "seq_length"), true, "rope"), total);
        }
        int ffn = req(c, "ffn_hidden_size");
        int hd = opt(c, h / heads, "kv_channels");
        boolean mqa = c.path("multi_query_attention").asBoolean(false);
        int kv = mqa ? opt(c, 1, "multi_query_group_num") : heads;
        int vocab = req(c, "padded_vocab_size", "vocab_size");
        boolean qkvBias = c.path("add_qkv_bias").asBoolean(false);
        boolean linearBias = c.path("add_bias_linear").asBoolean(false);
        long qkvOut = (long) heads * hd + 2L * kv * hd;
        long per = h * qkvOut + (qkvBias || linearBias ? qkvOut : 0) + (long) heads * hd * h + (linearBias ? h : 0)
                + 2L * h * ffn + (linearBias ? 2L * ffn : 0) + (long) ffn * h + (linearBias ? h : 0) + 2L * h;
        boolean tied = c.path("tie_word_embeddings").asBoolean(false);
        long total = layers * per + (long) vocab * h + h + (tied ? 0 : (long) vocab * h);
        notes.add("ChatGLM2/3 / GLM-4 layout: fused QKV" + (qkvBias ? " with bias" : "") + ", " + kv
                + " KV groups (multi_query_group_num), SwiGLU of ffn_hidden_size, RMSNorm, untied output_layer");
        return decoderResult(decoder(layers, h, heads, kv, hd, ffn, FfnType.SWIGLU, vocab, optNull(c, "seq_length"),
                tied, "rope"), total);
    }

    /**
     * Qwen v1 (QWenLMHeadModel remote code): c_attn with bias, c_proj without, w1/w2 gated MLP whose
     * intermediate_size counts both halves (each is intermediate_size / 2 wide), RMSNorm, an untied lm_head.
     * The first revision spelled the fields n_embd, n_head, n_layer, ffn_hidden_size, padded_vocab_size.
     * seq_length is the trained context; max_position_embeddings the NTK/logn-extended one.
     */
    static Result qwen(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size", "n_embd");
        int layers = req(c, "num_hidden_layers", "n_layer");
        int heads = req(c, "num_attention_heads", "n_head");
        int both = req(c, "intermediate_size", "ffn_hidden_size");
        int ffn = both / 2;
        int hd = opt(c, h / heads, "kv_channels");
        int vocab = req(c, "vocab_size", "padded_vocab_size");
        long per = (long) h * 3 * heads * hd + 3L * heads * hd + (long) heads * hd * h + 3L * h * ffn + 2L * h;
        long total = layers * per + 2L * vocab * h + h;
        Integer trained = optNull(c, "seq_length");
        Integer extended = optNull(c, "max_position_embeddings");
        Architecture.Builder b = decoder(layers, h, heads, heads, hd, ffn, FfnType.SWIGLU, vocab,
                trained != null ? trained : extended, false, "rope");
        if (trained != null && extended != null && extended > trained) {
            b.extendedContext = extended;
        }
        notes.add("Qwen (v1) layout: intermediate_size " + both + " counts both gated halves (ffn " + ffn + "); c_attn bias;"
                + " context " + b.maxContext + (b.extendedContext == null ? "" : " (" + extended + " with dynamic NTK and logn)"));
        return decoderResult(b, total);
    }

    /**
     * Baichuan / Baichuan 2 (remote code): W_pack (fused q/k/v, no bias), o_proj, SwiGLU, RMSNorm, an untied
     * head (Baichuan 2's NormHead adds no parameters). The 13B models use ALiBi and give only model_max_length.
     */
    static Result baichuan(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size");
        int layers = req(c, "num_hidden_layers");
        int heads = req(c, "num_attention_heads");
        int ffn = req(c, "intermediate_size");
        int vocab = req(c, "vocab_size");
        boolean alibi = !c.has("max_position_embeddings");
        long total = llamaLike(layers, h, heads, heads, h / heads, ffn, vocab, false, false, false, true, 2L * h, h);
        notes.add("Baichuan layout: W_pack without bias, SwiGLU, RMSNorm, untied head" + (alibi ? ", ALiBi positions" : ""));
        return decoderResult(decoder(layers, h, heads, heads, h / heads, ffn, FfnType.SWIGLU, vocab,
                optNull(c, "max_position_embeddings", "model_max_length"), false, alibi ? "alibi" : "rope"), total);
    }

    /** InternLM (v1, remote code): Llama layout with q/k/v/o biases when {@code bias} (InternLMConfig default true). */
    static Result internlm(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size");
        int layers = req(c, "num_hidden_layers");
        int heads = req(c, "num_attention_heads");
        int ffn = req(c, "intermediate_size");
        int vocab = req(c, "vocab_size");
        boolean bias = c.path("bias").asBoolean(true);
        boolean tied = c.path("tie_word_embeddings").asBoolean(false);
        long total = llamaLike(layers, h, heads, heads, h / heads, ffn, vocab, tied, bias, bias, true, 2L * h, h);
        notes.add("InternLM layout: Llama blocks" + (bias ? " with q/k/v/o biases" : " without biases"));
        return decoderResult(decoder(layers, h, heads, heads, h / heads, ffn, FfnType.SWIGLU, vocab,
                optNull(c, "max_position_embeddings"), tied, "rope"), total);
    }

    /** InternLM2 / 2.5 (remote code): fused wqkv and wo (biased when {@code bias}), GQA, SwiGLU, RMSNorm, untied output. */
    static Result internlm2(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size");
        int layers = req(c, "num_hidden_layers");
        int heads = req(c, "num_attention_heads");
        int kv = opt(c, heads, "num_key_value_heads");
        int ffn = req(c, "intermediate_size");
        int vocab = req(c, "vocab_size");
        boolean bias = c.path("bias").asBoolean(true);
        boolean tied = c.path("tie_word_embeddings").asBoolean(false);
        long total = llamaLike(layers, h, heads, kv, h / heads, ffn, vocab, tied, bias, bias, true, 2L * h, h);
        notes.add("InternLM2 layout: wqkv/wo" + (bias ? " with biases" : "") + ", " + kv + " KV heads, SwiGLU");
        return decoderResult(decoder(layers, h, heads, kv, h / heads, ffn, FfnType.SWIGLU, vocab,
                optNull(c, "max_position_embeddings"), tied, "rope"), total);
    }

    /**
     * Phi-3-small (remote code Phi3SmallForCausalLM): fused query_key_value and dense with biases, a GeGELU
     * up_proj of 2 x ff_intermediate_size with bias, down_proj with bias, LayerNorms with bias, the head tied
     * to the embedding; block-sparse attention on all but every dense_attention_every_n_layers-th layer
     * (it still caches every token).
     */
    static Result phi3small(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size");
        int layers = req(c, "num_hidden_layers");
        int heads = req(c, "num_attention_heads");
        int kv = opt(c, heads, "num_key_value_heads");
        int ffn = req(c, "ff_intermediate_size", "intermediate_size");
        int vocab = req(c, "vocab_size");
        int hd = h / heads;
        long qkv = (long) (heads + 2 * kv) * hd;
        long per = h * qkv + qkv + (long) h * h + h + 2L * h * ffn + 2L * ffn + (long) ffn * h + h + 4L * h;
        long total = layers * per + (long) vocab * h + 2L * h;
        notes.add("Phi-3-small layout: biases everywhere, GeGELU MLP, LayerNorms, head tied to the embedding");
        return decoderResult(decoder(layers, h, heads, kv, hd, ffn, FfnType.GEGLU, vocab,
                optNull(c, "max_position_embeddings"), true, "rope"), total);
    }

    /**
     * Falcon (FalconConfig, and the remote-code RefinedWebModel / RefinedWeb names n_head, n_layer, n_head_kv).
     * KV heads: num_kv_heads counts only with new_decoder_architecture (Falcon-40B/180B); otherwise
     * multi_query (default true) means one KV head, so Falcon-7B's "num_kv_heads": 71 is one KV head.
     * Layout: fused query_key_value, dense, a 4h GELU MLP, no biases unless {@code bias}; one input
     * LayerNorm per layer, two (ln_attn, ln_mlp) in the new architecture; the head tied to the embedding.
     */
    static Result falcon(JsonNode c, List<String> notes) {
        String type = HfConfig.text(c, "model_type");
        int h = req(c, "hidden_size");
        int layers = req(c, "num_hidden_layers", "n_layer");
        int heads = req(c, "num_attention_heads", "n_head");
        boolean newArch = c.path("new_decoder_architecture").asBoolean("RefinedWeb".equals(type));
        int kv;
        if (newArch) {
            kv = opt(c, heads, "num_kv_heads", "n_head_kv");
        } else {
            kv = c.path("multi_query").asBoolean(true) ? 1 : heads;
        }
        int vocab = req(c, "vocab_size");
        int hd = h / heads;
        boolean bias = c.path("bias").asBoolean(false);
        boolean parallel = c.path("parallel_attn").asBoolean(true);
        int ffn = opt(c, 4 * h, "ffn_hidden_size");
        long qkv = (long) (heads + 2 * kv) * hd;
        long per = h * qkv + (long) h * h + 2L * h * ffn;
        if (bias) {
            per += qkv + h + ffn + h;
        }
        per += newArch ? 4L * h : parallel ? 2L * h : 4L * h;
        boolean tied = c.path("tie_word_embeddings").asBoolean(true);
        long total = layers * per + (long) vocab * h + 2L * h + (tied ? 0 : (long) vocab * h);
        notes.add("Falcon layout: " + kv + " KV head" + (kv == 1 ? " (multi_query)" : "s") + ", "
                + (newArch ? "new decoder architecture (two LayerNorms)" : "parallel attention, one LayerNorm")
                + (bias ? ", biases" : ", no biases"));
        boolean alibi = c.path("alibi").asBoolean(false);
        Architecture.Builder b = decoder(layers, h, heads, kv, hd, ffn, FfnType.GELU, vocab,
                opt(c, 2048, "max_position_embeddings"), tied, alibi ? "alibi" : "rope");
        b.normsPerLayer = !newArch && parallel ? 1 : null; // FalconDecoderLayer: one input_layernorm for both branches
        return decoderResult(b, total);
    }

    /**
     * MPT (MPTConfig): d_model, n_heads, n_layers, expansion_ratio x d_model MLP, max_seq_len; Wqkv and out_proj
     * without biases (no_bias, default true), LayerNorm weights only, ALiBi (attn_config.alibi), tied head.
     */
    static Result mpt(JsonNode c, List<String> notes) {
        int h = req(c, "d_model");
        int layers = req(c, "n_layers");
        int heads = req(c, "n_heads");
        int ratio = opt(c, 4, "expansion_ratio");
        int ffn = ratio * h;
        int vocab = req(c, "vocab_size");
        JsonNode attn = c.path("attn_config");
        String attnType = attn.path("attn_type").asText("multihead_attention");
        int kv = attnType.equals("multiquery_attention") ? 1
                : attnType.equals("grouped_query_attention") ? attn.path("kv_n_heads").asInt(heads) : heads;
        boolean noBias = c.path("no_bias").asBoolean(true);
        int hd = h / heads;
        long qkv = (long) (heads + 2 * kv) * hd;
        long per = h * qkv + (long) h * h + 2L * h * ffn + (noBias ? 2L * h : qkv + h + ffn + h + 4L * h);
        boolean tied = c.path("tie_word_embeddings").asBoolean(true);
        long total = layers * per + (long) vocab * h + (noBias ? h : 2L * h) + (tied ? 0 : (long) vocab * h);
        boolean alibi = attn.path("alibi").asBoolean(false);
        notes.add("MPT layout: " + (noBias ? "no biases, LayerNorm weights only" : "biases") + ", MLP " + ratio + "x"
                + (alibi ? ", ALiBi" : ""));
        return decoderResult(decoder(layers, h, heads, kv, hd, ffn, FfnType.GELU, vocab, optNull(c, "max_seq_len"),
                tied, alibi ? "alibi" : "learned"), total);
    }

    /**
     * GPTBigCode (SantaCoder, StarCoder): GPT-2 names; multi_query (default true) makes c_attn h + 2 x head_dim
     * wide; every linear has a bias, LayerNorms weight and bias, learned positions, the head tied.
     */
    static Result gptBigcode(JsonNode c, List<String> notes) {
        int h = req(c, "n_embd", "hidden_size");
        int layers = req(c, "n_layer", "num_hidden_layers");
        int heads = req(c, "n_head", "num_attention_heads");
        int ffn = opt(c, 4 * h, "n_inner");
        int vocab = req(c, "vocab_size");
        int positions = opt(c, 1024, "n_positions");
        boolean mqa = c.path("multi_query").asBoolean(true);
        int hd = h / heads;
        long kvWidth = mqa ? 2L * hd : 2L * h;
        long per = h * (h + kvWidth) + h + kvWidth + (long) h * h + h + (long) h * ffn + ffn + (long) ffn * h + h + 4L * h;
        long total = layers * per + (long) vocab * h + (long) positions * h + 2L * h;
        notes.add("GPTBigCode layout: " + (mqa ? "multi-query attention (1 KV head)" : "multi-head attention")
                + ", biases, learned positions, tied head");
        return decoderResult(decoder(layers, h, heads, mqa ? 1 : heads, hd, ffn, FfnType.GELU, vocab, positions, true,
                "learned"), total);
    }

    /** GPT-NeoX (GPTNeoXConfig): fused QKV, dense and MLP with biases, two LayerNorms per layer, an untied embed_out. */
    static Result gptNeox(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size");
        int layers = req(c, "num_hidden_layers");
        int heads = req(c, "num_attention_heads");
        int ffn = opt(c, 4 * h, "intermediate_size");
        int vocab = req(c, "vocab_size");
        boolean tied = c.path("tie_word_embeddings").asBoolean(false);
        long per = (long) h * 3 * h + 3L * h + (long) h * h + h + (long) h * ffn + ffn + (long) ffn * h + h + 4L * h;
        long total = layers * per + (long) vocab * h + 2L * h + (tied ? 0 : (long) vocab * h);
        notes.add("GPT-NeoX layout: biases, two LayerNorms per layer, rotary positions, " + (tied ? "tied" : "untied") + " head");
        return decoderResult(decoder(layers, h, heads, heads, h / heads, ffn, FfnType.GELU, vocab,
                optNull(c, "max_position_embeddings"), tied, "rope"), total);
    }

    /**
     * BLOOM (BloomConfig; the published files spell the width n_embed): fused QKV, dense and a 4h MLP all with
     * biases, LayerNorms with bias plus word_embeddings_layernorm, ALiBi, the head tied. The config names no
     * context length (ALiBi); the models were trained at 2048 tokens (model cards).
     */
    static Result bloom(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size", "n_embed", "n_embd");
        int layers = req(c, "n_layer", "num_hidden_layers");
        int heads = req(c, "n_head", "num_attention_heads");
        int vocab = req(c, "vocab_size");
        long per = (long) h * 3 * h + 3L * h + (long) h * h + h + 8L * h * h + 4L * h + h + 4L * h;
        long total = layers * per + (long) vocab * h + 2L * h + 2L * h;
        notes.add("BLOOM layout: biases, LayerNorms, word_embeddings_layernorm, ALiBi, tied head; the config names no"
                + " context length (trained at 2048)");
        return decoderResult(decoder(layers, h, heads, heads, h / heads, 4 * h, FfnType.GELU, vocab,
                optNull(c, "seq_length"), true, "alibi"), total);
    }

    /**
     * T5, mT5 and UMT5 (T5Config): q/k/v/o and the MLP without biases, RMS-style LayerNorms (weight only), gated
     * GELU for "gated-gelu", a relative-position bias table of relative_attention_num_buckets x heads in the first
     * layer of each stack (in every layer for UMT5), one shared embedding, the head tied unless
     * tie_word_embeddings is false (mT5, T5 v1.1, UMT5). vocab_size defaults to 32128.
     */
    static Result t5(JsonNode c, List<String> notes) {
        String type = HfConfig.text(c, "model_type");
        boolean umt5 = "umt5".equals(type);
        int d = req(c, "d_model");
        int ff = req(c, "d_ff");
        int dkv = opt(c, 64, "d_kv");
        int heads = req(c, "num_heads");
        int enc = req(c, "num_layers");
        int dec = opt(c, enc, "num_decoder_layers");
        int vocab = opt(c, 32128, "vocab_size");
        int buckets = opt(c, 32, "relative_attention_num_buckets");
        String proj = c.path("feed_forward_proj").asText("relu");
        boolean gated = proj.startsWith("gated");
        boolean tied = c.path("tie_word_embeddings").asBoolean(true);
        long inner = (long) heads * dkv;
        long attn = 4L * d * inner;
        long mlp = (gated ? 3L : 2L) * d * ff;
        long bias = (long) buckets * heads;
        long encoder = enc * (attn + mlp + 2L * d) + d + (umt5 ? enc * bias : bias);
        long decoder = dec * (2 * attn + mlp + 3L * d) + d + (umt5 ? dec * bias : bias);
        long total = encoder + decoder + (long) vocab * d + (tied ? 0 : (long) vocab * d);
        notes.add((umt5 ? "UMT5" : "T5") + " layout: no biases, " + (gated ? "gated " : "") + "MLP, relative position"
                + " buckets, " + (tied ? "tied" : "untied") + " head; no fixed context (relative positions)");
        Architecture.Builder b = Architecture.builder();
        b.encoderLayers = enc;
        b.decoderLayers = dec;
        b.hidden = d;
        b.heads = heads;
        b.kvHeads = heads;
        b.headDim = dkv;
        b.ffn = ff;
        b.ffnType = gated ? FfnType.GEGLU : FfnType.RELU;
        b.vocab = vocab;
        b.tiedEmbeddings = tied;
        b.positionEmbedding = "relative";
        b.attention = AttentionKind.MHA;
        return new Result(ModelType.ENCODER_DECODER, b.build(), total, null, null);
    }

    /**
     * BART and mBART (BartConfig / MBartConfig): every projection with a bias, learned positions of
     * max_position_embeddings + 2 rows per stack, layernorm_embedding in each stack (and mBART's final
     * layer_norm), one shared embedding tied to the head (final_logits_bias is a buffer, not a parameter).
     */
    static Result bart(JsonNode c, List<String> notes) {
        boolean mbart = "mbart".equals(HfConfig.text(c, "model_type"));
        int d = req(c, "d_model");
        int enc = opt(c, 12, "encoder_layers");
        int dec = opt(c, 12, "decoder_layers");
        int encFfn = opt(c, 4096, "encoder_ffn_dim");
        int decFfn = opt(c, 4096, "decoder_ffn_dim");
        int heads = opt(c, 16, "encoder_attention_heads");
        int vocab = opt(c, 50265, "vocab_size");
        int positions = opt(c, 1024, "max_position_embeddings");
        long attn = 4L * d * d + 4L * d;
        long encLayer = attn + 2L * d + (long) d * encFfn + encFfn + (long) encFfn * d + d + 2L * d;
        long decLayer = 2 * attn + 3 * 2L * d + (long) d * decFfn + decFfn + (long) decFfn * d + d;
        long perStack = (positions + 2L) * d + 2L * d + (mbart ? 2L * d : 0);
        long total = enc * encLayer + dec * decLayer + 2 * perStack + (long) vocab * d;
        notes.add((mbart ? "mBART" : "BART") + " layout: biases, learned positions (" + positions + " + 2), "
                + "layernorm_embedding" + (mbart ? " and a final layer_norm" : "") + " per stack, tied head");
        Architecture.Builder b = Architecture.builder();
        b.encoderLayers = enc;
        b.decoderLayers = dec;
        b.hidden = d;
        b.heads = opt(c, heads, "decoder_attention_heads");
        b.kvHeads = b.heads;
        b.headDim = d / b.heads;
        b.ffn = decFfn;
        b.ffnType = FfnType.GELU;
        b.vocab = vocab;
        b.maxContext = positions;
        b.tiedEmbeddings = true;
        b.positionEmbedding = "learned";
        b.attention = AttentionKind.MHA;
        return new Result(ModelType.ENCODER_DECODER, b.build(), total, null, null);
    }

    /**
     * Whisper (WhisperConfig): a two-convolution stem over num_mel_bins, sinusoidal encoder positions stored as
     * max_source_positions x d_model weights, learned decoder positions, attention with biases except k_proj,
     * LayerNorms, proj_out tied to the decoder embedding. Each 30 s window is max_source_positions (1500)
     * encoder frames; the decoder holds at most max_target_positions (448) tokens.
     */
    static Result whisper(JsonNode c, List<String> notes) {
        int d = req(c, "d_model");
        int enc = req(c, "encoder_layers");
        int dec = opt(c, enc, "decoder_layers");
        int encFfn = opt(c, 4 * d, "encoder_ffn_dim");
        int decFfn = opt(c, 4 * d, "decoder_ffn_dim");
        int heads = req(c, "encoder_attention_heads");
        int vocab = req(c, "vocab_size");
        int mels = opt(c, 80, "num_mel_bins");
        int source = opt(c, 1500, "max_source_positions");
        int target = opt(c, 448, "max_target_positions");
        long attn = 4L * d * d + 3L * d;
        long encLayer = attn + 2L * d + (long) d * encFfn + encFfn + (long) encFfn * d + d + 2L * d;
        long decLayer = 2 * attn + 6L * d + (long) d * decFfn + decFfn + (long) decFfn * d + d;
        long stem = (long) mels * d * 3 + d + (long) d * d * 3 + d;
        long encoder = stem + (long) source * d + enc * encLayer + 2L * d;
        long decoder = (long) vocab * d + (long) target * d + dec * decLayer + 2L * d;
        notes.add("Whisper layout: conv stem over " + mels + " mel bins, " + source + " encoder frames per 30 s window,"
                + " decoder up to " + target + " tokens, proj_out tied; the encoder is " + encoder + " parameters");
        Architecture.Builder b = Architecture.builder();
        b.encoderLayers = enc;
        b.decoderLayers = dec;
        b.hidden = d;
        b.heads = heads;
        b.kvHeads = heads;
        b.headDim = d / heads;
        b.ffn = decFfn;
        b.ffnType = FfnType.GELU;
        b.vocab = vocab;
        b.maxContext = target;
        b.tiedEmbeddings = true;
        b.positionEmbedding = "learned";
        b.attention = AttentionKind.MHA;
        return new Result(ModelType.ENCODER_DECODER, b.build(), encoder + decoder, null, null);
    }

    /**
     * LLaVA (LlavaConfig): the language model from text_config (its model_type, llama by default, with that
     * class's defaults for the sizes the file leaves out), a CLIP vision tower (CLIPVisionConfig defaults) and a
     * two-layer projector with biases. One image is (image_size / patch_size)^2 tokens (the default feature
     * strategy drops the class token).
     */
    static Result llava(JsonNode c, List<String> notes) {
        JsonNode text = TextDefaults.withDefaults(c.path("text_config"), "llama");
        HfConfig t = HfConfig.of(text);
        long textParams = HfConfig.parameters(t);
        int h = t.arch().hidden();
        JsonNode v = c.path("vision_config");
        int vd = opt(v, 768, "hidden_size");
        int vf = opt(v, 3072, "intermediate_size");
        int vl = opt(v, 12, "num_hidden_layers");
        int image = opt(v, 224, "image_size");
        int patch = opt(v, 32, "patch_size");
        int vh = opt(v, 12, "num_attention_heads");
        long patches = (long) (image / patch) * (image / patch);
        long tower = 3L * patch * patch * vd + vd + (patches + 1) * vd + 2L * vd
                + vl * (4L * (vd * (long) vd + vd) + (long) vd * vf + vf + (long) vf * vd + vd + 4L * vd) + 2L * vd;
        boolean projBias = c.path("multimodal_projector_bias").asBoolean(true);
        long projector = (long) vd * h + (long) h * h + (projBias ? 2L * h : 0);
        notes.add("LLaVA: " + t.modelType() + " language model (" + textParams + ") + CLIP tower (" + tower + ") + projector ("
                + projector + "); " + patches + " tokens per image");
        return new Result(ModelType.DECODER, t.arch(), textParams + tower + projector, null,
                new VisionPart(tower + projector, (int) patches, image, "CLIP ViT " + vl + " layers x " + vd + "; two-layer projector",
                        vl, vd, vf, patch, null, null, vh));
    }

    /**
     * Qwen2-VL and Qwen2.5-VL: a Qwen2 language model (top-level fields, or text_config in newer files) and a
     * ViT with 3D patch embedding (temporal_patch_size x patch_size^2 x 3, no bias) and a merger of
     * spatial_merge_size^2 patches. Qwen2-VL blocks: LayerNorms with bias, fused qkv with bias, a GELU MLP of
     * mlp_ratio x embed_dim; Qwen2.5-VL blocks: RMSNorms, a SwiGLU MLP of intermediate_size with biases.
     * Image tokens follow the resolution: one per 28 x 28 pixels.
     */
    static Result qwen2vl(JsonNode c, List<String> notes) {
        boolean v25 = "qwen2_5_vl".equals(HfConfig.text(c, "model_type"));
        JsonNode textNode = c.path("text_config").isObject() ? c.path("text_config") : c;
        JsonNode text = TextDefaults.withDefaults(textNode, "qwen2");
        HfConfig t = HfConfig.of(text);
        int h = t.arch().hidden();
        int heads = t.arch().heads();
        int kv = t.arch().effectiveKvHeads();
        int hd = t.arch().effectiveHeadDim();
        boolean tied = Boolean.TRUE.equals(t.arch().tiedEmbeddings());
        long textParams = llamaLike(t.arch().layers(), h, heads, kv, hd, t.arch().ffn(), t.arch().vocab(), tied,
                true, false, true, 2L * h, h);
        JsonNode v = c.path("vision_config");
        int ed = opt(v, 1280, v25 ? "hidden_size" : "embed_dim");
        int depth = opt(v, 32, "depth");
        int patch = opt(v, 14, "patch_size");
        int temporal = opt(v, 2, "temporal_patch_size");
        int merge = opt(v, 2, "spatial_merge_size");
        int out = v25 ? opt(v, h, "out_hidden_size") : opt(v, h, "hidden_size");
        long block;
        if (v25) {
            int vf = opt(v, 3420, "intermediate_size");
            block = 2L * ed + (long) ed * 3 * ed + 3L * ed + (long) ed * ed + ed + 2L * ((long) ed * vf + vf) + (long) vf * ed + ed;
        } else {
            int vf = opt(v, 4, "mlp_ratio") * ed;
            block = 4L * ed + (long) ed * 3 * ed + 3L * ed + (long) ed * ed + ed + (long) ed * vf + vf + (long) vf * ed + ed;
        }
        long md = (long) ed * merge * merge;
        long merger = (v25 ? ed : 2L * ed) + md * md + md + md * out + out;
        long tower = 3L * temporal * patch * patch * ed + depth * block + merger;
        notes.add((v25 ? "Qwen2.5-VL" : "Qwen2-VL") + ": Qwen2 language model (" + textParams + ") + ViT with merger ("
                + tower + "); image tokens = pixels / " + (patch * merge) * (patch * merge));
        return new Result(ModelType.DECODER, t.arch(), textParams + tower, null,
                new VisionPart(tower, null, null, "dynamic resolution: one token per " + patch * merge + " x "
                        + patch * merge + " pixels"));
    }

    /**
     * Gemma 3 (Gemma3Config): the text model from text_config with Gemma3TextConfig's defaults for what the file
     * leaves out (8 heads, 4 KV heads, head_dim 256, vocab 262,208, 131,072 positions, a global layer every 6th;
     * google/gemma-3-4b-it names none of them), q/k norms and four RMSNorms per layer, the head tied; a SigLIP
     * tower without pooling head and a projector (RMSNorm + vision x text matrix). mm_tokens_per_image per image.
     */
    static Result gemma3(JsonNode c, List<String> notes) {
        boolean multimodal = c.path("text_config").isObject();
        JsonNode t = multimodal ? c.path("text_config") : c;
        int h = opt(t, 2304, "hidden_size");
        int ffn = opt(t, 9216, "intermediate_size");
        int layers = opt(t, 26, "num_hidden_layers");
        int heads = opt(t, 8, "num_attention_heads");
        int kv = opt(t, 4, "num_key_value_heads");
        int hd = opt(t, 256, "head_dim");
        int vocab = opt(t, 262_208, "vocab_size");
        int maxContext = opt(t, 131_072, "max_position_embeddings");
        long text = (long) layers * ((long) h * heads * hd + 2L * h * kv * hd + (long) heads * hd * h + 3L * h * ffn
                + 4L * h + 2L * hd) + (long) vocab * h + h;
        Architecture.Builder b = decoder(layers, h, heads, kv, hd, ffn, FfnType.GEGLU, vocab, maxContext, true, "rope");
        b.slidingWindow = opt(t, 4096, "sliding_window");
        b.fullAttentionEvery = opt(t, 6, "sliding_window_pattern");
        b.normsPerLayer = 4; // Gemma3DecoderLayer: input, post_attention, pre_feedforward and post_feedforward norms
        if (!multimodal) {
            notes.add("Gemma 3 text layout: q/k norms, four RMSNorms per layer, tied head");
            return decoderResult(b, text);
        }
        JsonNode v = c.path("vision_config");
        int vd = opt(v, 768, "hidden_size");
        int vf = opt(v, 3072, "intermediate_size");
        int vl = opt(v, 12, "num_hidden_layers");
        int image = opt(v, 224, "image_size");
        int patch = opt(v, 16, "patch_size");
        int vh = opt(v, 12, "num_attention_heads");
        long patches = (long) (image / patch) * (image / patch);
        long tower = 3L * patch * patch * vd + vd + patches * vd
                + vl * (4L * ((long) vd * vd + vd) + (long) vd * vf + vf + (long) vf * vd + vd + 4L * vd) + 2L * vd;
        long projector = vd + (long) vd * h;
        int tokens = opt(c, 256, "mm_tokens_per_image");
        notes.add("Gemma 3: text model from text_config (" + text + ", Gemma3TextConfig defaults where the file is silent) + SigLIP"
                + " tower (" + tower + ") + projector (" + projector + "); " + tokens + " tokens per image");
        return new Result(ModelType.DECODER, b.build(), text + tower + projector, null,
                new VisionPart(tower + projector, tokens, image, "SigLIP " + vl + " layers x " + vd + ", no pooling head",
                        vl, vd, vf, patch, null, null, vh));
    }

    /**
     * Llama 3.2 Vision (MllamaConfig): a text model of self-attention layers plus gated cross-attention layers at
     * cross_attention_layers (q/k norms, two scalar gates), embed_tokens with 8 extra rows, an untied head; a
     * vision model (MllamaVisionConfig defaults) of num_hidden_layers local and num_global_layers gated global
     * layers over 560-pixel tiles of (image_size / patch_size)^2 + 1 positions, gated position and tile
     * embeddings for max_num_tiles x 8 aspect ratios, and a projector from vision_output_dim. Image tokens reach
     * the text only through cross-attention (1601 per tile, up to max_num_tiles tiles).
     */
    static Result mllama(JsonNode c, List<String> notes) {
        JsonNode t = c.path("text_config");
        int h = opt(t, 4096, "hidden_size");
        int ffn = opt(t, 14336, "intermediate_size");
        int layers = opt(t, 40, "num_hidden_layers");
        int heads = opt(t, 32, "num_attention_heads");
        int kv = opt(t, 8, "num_key_value_heads");
        int vocab = opt(t, 128_256, "vocab_size");
        int hd = h / heads;
        int cross = t.path("cross_attention_layers").isArray() ? t.path("cross_attention_layers").size() : 8;
        boolean tied = t.path("tie_word_embeddings").asBoolean(false);
        long self = (long) h * heads * hd + 2L * h * kv * hd + (long) heads * hd * h + 3L * h * ffn + 2L * h;
        long text = (long) layers * self + (long) cross * (2L * hd + 2) + (long) (vocab + 8) * h + h
                + (tied ? 0 : (long) vocab * h);
        JsonNode v = c.path("vision_config");
        int vd = opt(v, 1280, "hidden_size");
        int vf = opt(v, 5120, "intermediate_size");
        int local = opt(v, 32, "num_hidden_layers");
        int global = opt(v, 8, "num_global_layers");
        int image = opt(v, 448, "image_size");
        int patch = opt(v, 14, "patch_size");
        int vh = opt(v, 16, "attention_heads");
        int tiles = opt(v, 4, "max_num_tiles");
        int outDim = opt(v, 7680, "vision_output_dim");
        int ratios = v.path("supported_aspect_ratios").isArray() ? v.path("supported_aspect_ratios").size() : 8;
        long positions = (long) (image / patch) * (image / patch) + 1;
        long layer = 4L * vd * vd + (long) vd * vf + vf + (long) vf * vd + vd + 4L * vd;
        long tower = 3L * patch * patch * vd + vd + positions * vd + 1 + (ratios + 1L) * tiles * positions * vd
                + 2 * ((ratios + 1L) * tiles * vd + 1) + 4L * vd + local * layer + global * (layer + 2);
        long projector = (long) outDim * h + h;
        notes.add("Llama 3.2 Vision: text (" + text + ", " + cross + " cross-attention layers) + vision tower (" + tower
                + ") + projector (" + projector + "); " + positions + " tokens per tile, cross-attention only");
        Architecture.Builder b = decoder(layers, h, heads, kv, hd, ffn, FfnType.SWIGLU, vocab,
                opt(t, 131_072, "max_position_embeddings"), tied, "rope");
        return new Result(ModelType.DECODER, b.build(), text + tower + projector, null,
                new VisionPart(tower + projector, (int) positions, image, "per tile, up to " + tiles
                        + " tiles; tokens reach the text through cross-attention, not the KV cache",
                        local + global, vd, vf, patch, tiles, cross, vh));
    }

    /**
     * Mamba (MambaConfig: hidden_size, num_hidden_layers, state_size, expand, conv_kernel, time_step_rank
     * "auto" = ceil(hidden / 16); FalconMamba the same; and the mamba_ssm files with d_model, n_layer, ssm_cfg,
     * the vocabulary padded to pad_vocab_size_multiple): per layer in_proj (h -> 2 x inner), a depthwise conv
     * with bias, x_proj, dt_proj with bias, A_log, D, out_proj and one RMSNorm; the head tied. No attention: a
     * fixed recurrent state instead of a KV cache.
     */
    static Result mamba(JsonNode c, List<String> notes) {
        JsonNode ssm = c.path("ssm_cfg");
        int h = req(c, "hidden_size", "d_model");
        int layers = req(c, "num_hidden_layers", "n_layer");
        int vocab = req(c, "vocab_size");
        int multiple = opt(c, 1, "pad_vocab_size_multiple");
        vocab = (vocab + multiple - 1) / multiple * multiple;
        int expand = opt(c, opt(ssm, 2, "expand"), "expand");
        int state = opt(c, opt(ssm, 16, "d_state"), "state_size");
        int conv = opt(c, opt(ssm, 4, "d_conv"), "conv_kernel");
        int inner = expand * h;
        int dtRank = c.path("time_step_rank").isInt() ? c.path("time_step_rank").asInt() : (h + 15) / 16;
        boolean projBias = c.path("use_bias").asBoolean(false);
        boolean convBias = c.path("use_conv_bias").asBoolean(true);
        long per = (long) h * 2 * inner + (projBias ? 2L * inner : 0) + (long) inner * conv + (convBias ? inner : 0)
                + (long) inner * (dtRank + 2L * state) + (long) dtRank * inner + inner + (long) inner * state + inner
                + (long) inner * h + (projBias ? h : 0) + h;
        boolean tied = c.path("tie_word_embeddings").asBoolean(true);
        long total = layers * per + (long) vocab * h + h + (tied ? 0 : (long) vocab * h);
        notes.add("Mamba layout: selective SSM blocks (inner " + inner + ", state " + state + "), no attention; the"
                + " recurrent state does not grow with the context");
        Architecture.Builder b = Architecture.builder();
        b.layers = layers;
        b.hidden = h;
        b.vocab = vocab;
        b.tiedEmbeddings = tied;
        b.attention = AttentionKind.NONE;
        b.positionEmbedding = "none";
        return new Result(ModelType.RECURRENT, b.build(), total, null, null);
    }

    /**
     * Jamba (JambaConfig): attention in layers where i % attn_layer_period == attn_layer_offset (4 of 32), Mamba
     * mixers elsewhere (with dt/B/C RMSNorms), a MoE MLP (num_experts, router, top num_experts_per_tok) where
     * i % expert_layer_period == expert_layer_offset, dense SwiGLU elsewhere, an untied head. Only the attention
     * layers keep a KV cache.
     */
    static Result jamba(JsonNode c, List<String> notes) {
        int h = opt(c, 4096, "hidden_size");
        int layers = opt(c, 32, "num_hidden_layers");
        int heads = opt(c, 32, "num_attention_heads");
        int kv = opt(c, 8, "num_key_value_heads");
        int vocab = opt(c, 65_536, "vocab_size");
        int ffn = opt(c, 14_336, "intermediate_size");
        int experts = opt(c, 16, "num_experts");
        int top = opt(c, 2, "num_experts_per_tok");
        int attnPeriod = opt(c, 8, "attn_layer_period");
        int attnOffset = optZero(c, 4, "attn_layer_offset");
        int expertPeriod = opt(c, 2, "expert_layer_period");
        int expertOffset = optZero(c, 1, "expert_layer_offset");
        int inner = opt(c, 2, "mamba_expand") * h;
        int state = opt(c, 16, "mamba_d_state");
        int conv = opt(c, 4, "mamba_d_conv");
        int dtRank = c.path("mamba_dt_rank").isInt() ? c.path("mamba_dt_rank").asInt() : (h + 15) / 16;
        boolean convBias = c.path("mamba_conv_bias").asBoolean(true);
        boolean projBias = c.path("mamba_proj_bias").asBoolean(false);
        int hd = h / heads;
        long mambaMixer = (long) h * 2 * inner + (projBias ? 2L * inner : 0) + (long) inner * conv + (convBias ? inner : 0)
                + (long) inner * (dtRank + 2L * state) + (long) dtRank * inner + inner + (long) inner * state + inner
                + (long) inner * h + (projBias ? h : 0) + dtRank + 2L * state;
        long attention = (long) h * heads * hd + 2L * h * kv * hd + (long) heads * hd * h;
        long mlp = 3L * h * ffn;
        long total = 0;
        long active = 0;
        int attentionLayers = 0;
        for (int i = 0; i < layers; i++) {
            boolean attn = i % attnPeriod == attnOffset;
            attentionLayers += attn ? 1 : 0;
            long mixer = attn ? attention : mambaMixer;
            if (i % expertPeriod == expertOffset) {
                total += mixer + experts * mlp + (long) h * experts + 2L * h;
                active += mixer + top * mlp + (long) h * experts + 2L * h;
            } else {
                total += mixer + mlp + 2L * h;
                active += mixer + mlp + 2L * h;
            }
        }
        boolean tied = c.path("tie_word_embeddings").asBoolean(false);
        long edges = (long) vocab * h + h + (tied ? 0 : (long) vocab * h);
        notes.add("Jamba layout: " + attentionLayers + " of " + layers + " layers attend (the others are Mamba), MoE in every "
                + expertPeriod + "nd layer (" + top + " of " + experts + " experts); the Mamba state is not counted in"
                + " the cache");
        Architecture.Builder b = decoder(layers, h, heads, kv, hd, ffn, FfnType.SWIGLU, vocab,
                optNull(c, "max_position_embeddings"), tied, "none");
        b.attentionLayers = attentionLayers;
        b.experts = experts;
        b.expertsPerToken = top;
        // Active parameters by the catalog's convention: the output head counts, the input embedding lookup does not.
        return new Result(ModelType.DECODER, b.build(), total + edges, active + (long) vocab * h + h, null);
    }

    /**
     * RWKV-4 (RwkvConfig): per layer two LayerNorms, time-mix vectors, key/value/receptance of
     * attention_hidden_size and an output projection, and a channel-mix of key (h x intermediate), receptance
     * (h x h) and value; embeddings with a pre-LayerNorm, ln_out and an untied head. A recurrent state, no KV cache.
     */
    static Result rwkv(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size");
        int layers = req(c, "num_hidden_layers");
        int a = opt(c, h, "attention_hidden_size");
        int f = opt(c, 4 * h, "intermediate_size");
        int vocab = req(c, "vocab_size");
        boolean tied = c.path("tie_word_embeddings").asBoolean(false);
        long per = 4L * h + 2L * a + 3L * h + 3L * h * a + (long) a * h + 2L * h + (long) h * f + (long) h * h + (long) f * h;
        long total = layers * per + (long) vocab * h + 4L * h + (tied ? 0 : (long) vocab * h);
        notes.add("RWKV-4 layout: time-mix and channel-mix blocks, no attention: a recurrent state instead of a KV cache");
        return recurrent(layers, h, f, vocab, tied, optNull(c, "context_length"), total);
    }

    /**
     * RWKV-6 "Finch" (the RWKV/v6-*-HF remote code): per layer the time-mix LoRAs (time_maa_w1/w2 of 32, or 64 at
     * hidden 4096) and decay LoRAs (64, or 128 at 4096), r/k/v/g/output projections, a GroupNorm ln_x, and a
     * channel-mix of key (h x intermediate), receptance and value; intermediate defaults to 3.5 x hidden rounded
     * down to a multiple of 32.
     */
    static Result rwkv6(JsonNode c, List<String> notes) {
        int h = req(c, "hidden_size");
        int layers = req(c, "num_hidden_layers");
        int a = opt(c, h, "attention_hidden_size");
        int f = opt(c, (int) (h * 3.5) / 32 * 32, "intermediate_size");
        int vocab = req(c, "vocab_size");
        int mix = h == 4096 ? 64 : 32;
        int decay = h == 4096 ? 128 : 64;
        long attn = 6L * h + (long) h * mix * 5 + 5L * mix * h + a + (long) h * decay + (long) decay * a + a
                + 4L * h * a + (long) a * h + 2L * a;
        long ffn = 2L * h + (long) h * f + (long) h * h + (long) f * h;
        long per = attn + ffn + 4L * h;
        boolean tied = c.path("tie_word_embeddings").asBoolean(false);
        long total = layers * per + (long) vocab * h + 4L * h + (tied ? 0 : (long) vocab * h);
        notes.add("RWKV-6 layout: data-dependent time-mix and decay LoRAs, no attention: a recurrent state instead of a KV cache");
        return recurrent(layers, h, f, vocab, tied, optNull(c, "context_length"), total);
    }

    private static Result recurrent(int layers, int h, int ffn, int vocab, boolean tied, Integer context, long total) {
        Architecture.Builder b = Architecture.builder();
        b.layers = layers;
        b.hidden = h;
        b.ffn = ffn;
        b.ffnType = FfnType.RELU;
        b.vocab = vocab;
        b.maxContext = context;
        b.tiedEmbeddings = tied;
        b.attention = AttentionKind.NONE;
        b.positionEmbedding = "none";
        return new Result(ModelType.RECURRENT, b.build(), total, null, null);
    }

    // ---- field access ----

    /** The first of {@code fields} present as a positive integer; the config is unusable without it. */
    static int req(JsonNode c, String... fields) {
        Integer v = HfConfig.firstInt(c, fields);
        if (v == null) {
            throw new IllegalArgumentException("config.json has no " + String.join(" or ", fields));
        }
        return v;
    }

    static int opt(JsonNode c, int fallback, String... fields) {
        Integer v = HfConfig.firstInt(c, fields);
        return v == null ? fallback : v;
    }

    static Integer optNull(JsonNode c, String... fields) {
        return HfConfig.firstInt(c, fields);
    }

    /** As {@link #opt} for a field where 0 is a real value (a layer offset). */
    private static int optZero(JsonNode c, int fallback, String field) {
        JsonNode v = c.path(field);
        return v.isInt() && v.asInt() >= 0 ? v.asInt() : fallback;
    }
}
