package dev.llmplan.modelfile;

import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.AttentionKind;
import dev.llmplan.engine.FfnType;
import dev.llmplan.engine.ModelType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model shape from GGUF metadata: the {@code <arch>.*} keys llama.cpp writes
 * (llama.cpp src/llama-arch.cpp LLM_KV_NAMES: block_count, embedding_length, feed_forward_length,
 * attention.head_count, attention.head_count_kv, attention.key_length, context_length,
 * attention.sliding_window, expert_count, expert_used_count, ...).
 */
final class GgufArchitecture {
    private GgufArchitecture() {
    }

    record Result(String arch, ModelType type, Architecture architecture) {
    }

    /** The {@code <arch>.} keys read below; GgufFile keeps these and skips other architecture keys unread. */
    private static final Set<String> READ = Set.of("block_count", "decoder_block_count", "embedding_length",
            "attention.head_count", "attention.head_count_kv", "attention.key_length", "feed_forward_length",
            "context_length", "expert_count", "expert_used_count", "expert_shared_count", "expert_feed_forward_length",
            "leading_dense_block_count", "attention.kv_lora_rank", "attention.q_lora_rank", "rope.dimension_count",
            "rope.freq_base", "attention.value_length", "attention.sliding_window", "vocab_size");

    /** Whether {@code key} is one of the metadata keys this class (or the file-type and split checks) reads. */
    static boolean reads(String key) {
        if (key.startsWith("general.") || key.startsWith("split.") || key.equals("tokenizer.ggml.tokens")) {
            return true;
        }
        int dot = key.indexOf('.');
        return dot > 0 && READ.contains(key.substring(dot + 1));
    }

    static Result of(Map<String, Object> md, List<TensorEntry> tensors, List<String> notes) {
        String arch = md.get("general.architecture") instanceof String s ? s : null;
        Architecture.Builder b = Architecture.builder();
        if (arch == null) {
            notes.add("no general.architecture in the GGUF metadata: shape unknown");
            return new Result(null, ModelType.DECODER, b.build());
        }
        String p = arch + ".";
        ModelType type = switch (arch) {
            case "t5" -> ModelType.ENCODER_DECODER;
            case "t5encoder", "bert", "nomic-bert", "jina-bert-v2" -> ModelType.ENCODER;
            case "rwkv6", "rwkv7", "mamba", "mamba2" -> ModelType.RECURRENT;
            default -> ModelType.DECODER;
        };
        Integer blocks = integer(md.get(p + "block_count"));
        if (type == ModelType.ENCODER_DECODER) {
            b.encoderLayers = blocks;
            Integer dec = integer(md.get(p + "decoder_block_count"));
            b.decoderLayers = dec != null ? dec : blocks;
        } else {
            b.layers = blocks;
        }
        b.hidden = integer(md.get(p + "embedding_length"));
        b.heads = integer(md.get(p + "attention.head_count"));
        b.kvHeads = integer(md.get(p + "attention.head_count_kv"));
        b.headDim = integer(md.get(p + "attention.key_length"));
        b.ffn = integer(md.get(p + "feed_forward_length"));
        b.maxContext = integer(md.get(p + "context_length"));
        b.experts = integer(md.get(p + "expert_count"));
        if (b.experts != null && b.experts > 1) {
            b.expertsPerToken = integer(md.get(p + "expert_used_count"));
            b.sharedExperts = integer(md.get(p + "expert_shared_count"));
            Integer expertFfn = integer(md.get(p + "expert_feed_forward_length"));
            b.expertFfn = expertFfn != null ? expertFfn : b.ffn;
            b.denseLayers = integer(md.get(p + "leading_dense_block_count"));
        } else {
            b.experts = null;
        }
        b.kvLoraRank = integer(md.get(p + "attention.kv_lora_rank"));
        b.qLoraRank = integer(md.get(p + "attention.q_lora_rank"));
        if (b.kvLoraRank != null) {
            b.attention = AttentionKind.MLA;
            b.ropeHeadDim = integer(md.get(p + "rope.dimension_count"));
            b.vHeadDim = integer(md.get(p + "attention.value_length"));
        }
        Integer window = integer(md.get(p + "attention.sliding_window"));
        if (window != null) {
            b.slidingWindow = window;
            // llama.cpp sets these patterns in code (llama-model.cpp set_swa_pattern), not in the file.
            b.fullAttentionEvery = switch (arch) {
                case "gemma2", "gpt-oss", "cohere2" -> 2;
                case "gemma3", "gemma3n" -> 6;
                default -> null;
            };
        }
        b.vocab = vocab(md, p);
        boolean hasOutput = tensors.stream().anyMatch(t -> t.name().equals("output.weight"));
        b.tiedEmbeddings = !hasOutput;
        boolean gated = tensors.stream().anyMatch(t -> t.name().contains("ffn_gate"));
        b.ffnType = gated ? (arch.startsWith("gemma") ? FfnType.GEGLU : FfnType.SWIGLU) : FfnType.GELU;
        if (tensors.stream().anyMatch(t -> t.name().equals("position_embd.weight"))) {
            b.positionEmbedding = "learned";
        } else if (md.containsKey(p + "rope.dimension_count") || md.containsKey(p + "rope.freq_base")) {
            b.positionEmbedding = "rope";
        }
        if (b.attention == null && b.heads != null) {
            int kv = b.kvHeads == null ? b.heads : b.kvHeads;
            b.attention = kv == 1 && b.heads > 1 ? AttentionKind.MQA : kv == b.heads ? AttentionKind.MHA : AttentionKind.GQA;
        }
        return new Result(arch, type, b.build());
    }

    private static Integer vocab(Map<String, Object> md, String p) {
        if (md.get("tokenizer.ggml.tokens") instanceof GgufFile.GgufArray tokens && tokens.length() > 0
                && tokens.length() <= Integer.MAX_VALUE) {
            return (int) tokens.length();
        }
        return integer(md.get(p + "vocab_size"));
    }

    /**
     * A positive integer value. Per-layer arrays (OpenELM head counts, Gemma 3n feed-forward widths)
     * give their largest entry, which is what the memory of the largest layer needs.
     */
    static Integer integer(Object v) {
        if (v instanceof Long l) {
            return l > 0 && l <= Integer.MAX_VALUE ? (int) (long) l : null;
        }
        if (v instanceof GgufFile.GgufArray a && a.values() != null) {
            Integer max = null;
            for (Object o : a.values()) {
                Integer i = integer(o);
                if (i != null && (max == null || i > max)) {
                    max = i;
                }
            }
            return max;
        }
        return null;
    }
}
