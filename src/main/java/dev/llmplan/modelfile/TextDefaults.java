package dev.llmplan.modelfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * The language model of a multimodal config as a config of its own: a multimodal file often leaves out the
 * sizes its text model class defaults (llava-hf/llava-1.5-7b-hf's text_config names no hidden_size or layer
 * count), so they are filled from that class's defaults before the text model is read.
 */
final class TextDefaults {
    private TextDefaults() {
    }

    /** LlamaConfig, MistralConfig and Qwen2Config defaults (transformers configuration_*.py). */
    private static final Map<String, Map<String, Integer>> DEFAULTS = Map.of(
            "llama", Map.of("hidden_size", 4096, "intermediate_size", 11008, "num_hidden_layers", 32,
                    "num_attention_heads", 32, "vocab_size", 32000, "max_position_embeddings", 2048),
            "mistral", Map.of("hidden_size", 4096, "intermediate_size", 14336, "num_hidden_layers", 32,
                    "num_attention_heads", 32, "num_key_value_heads", 8, "vocab_size", 32000,
                    "max_position_embeddings", 131072),
            "qwen2", Map.of("hidden_size", 4096, "intermediate_size", 22016, "num_hidden_layers", 32,
                    "num_attention_heads", 32, "vocab_size", 151936, "max_position_embeddings", 32768));

    /**
     * A copy of {@code text} without vision settings, its model_type set to {@code fallback} when missing or a
     * multimodal wrapper's, and the class defaults of that type for the size fields it lacks.
     */
    static JsonNode withDefaults(JsonNode text, String fallback) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (text != null && text.isObject()) {
            text.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("vision_config") && !e.getKey().equals("text_config")) {
                    out.set(e.getKey(), e.getValue());
                }
            });
        }
        String type = out.path("model_type").asText("");
        if (!DEFAULTS.containsKey(type) && !type.isEmpty() && ConfigReaders.forFamily(type) == null
                && HfConfig.KNOWN.contains(type)) {
            return out; // a known text model type with its own reading (gemma, phi3, ...)
        }
        if (!DEFAULTS.containsKey(type)) {
            type = fallback;
            out.put("model_type", type);
        }
        for (Map.Entry<String, Integer> d : DEFAULTS.get(type).entrySet()) {
            if (!out.has(d.getKey())) {
                out.put(d.getKey(), d.getValue());
            }
        }
        return out;
    }
}
