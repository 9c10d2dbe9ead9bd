package dev.llmplan.modelfile;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

/**
 * A checkpoint's {@code quantization_config} as a {@code --quant} id: the format the weights are
 * stored (or loaded) in. Keys follow transformers' quantization configs: BitsAndBytesConfig
 * ({@code load_in_4bit}, {@code bnb_4bit_quant_type}, {@code bnb_4bit_use_double_quant}),
 * GPTQConfig ({@code bits}, {@code group_size}), AwqConfig ({@code bits} / {@code w_bit},
 * {@code group_size} / {@code q_group_size}) and FP8 / compressed-tensors float8 schemes.
 *
 * @param method the quant_method as written
 * @param format the matching {@code --quant} id, or null when llmplan has no such format
 */
public record QuantConfig(String method, String format) {

    static QuantConfig of(JsonNode q, List<String> notes) {
        if (q == null || !q.isObject()) {
            return null;
        }
        String method = FileText.clean(q.path("quant_method").asText(""), 64).toLowerCase(Locale.ROOT);
        String format = switch (method) {
            case "bitsandbytes" -> bitsandbytes(q);
            case "gptq" -> grouped("gptq", q, notes);
            case "awq" -> grouped("awq", q, notes);
            case "fp8", "fbgemm_fp8" -> "fp8";
            case "compressed-tensors" -> q.toString().toLowerCase(Locale.ROOT).contains("\"float\"")
                    && q.toString().contains("\"num_bits\":8") ? "fp8" : null;
            default -> null;
        };
        if (format == null && method.equals("") && (q.path("load_in_4bit").asBoolean() || q.path("load_in_8bit").asBoolean())) {
            method = "bitsandbytes";
            format = bitsandbytes(q);
        }
        if (format == null) {
            notes.add("quantization_config quant_method '" + method + "' is not a format llmplan prices;"
                    + " the weights are priced from the files (or the 16-bit dtype when only config.json is given)");
        }
        return new QuantConfig(method, format);
    }

    private static String bitsandbytes(JsonNode q) {
        if (q.path("load_in_8bit").asBoolean(false)) {
            return "int8";
        }
        if (q.path("load_in_4bit").asBoolean(false)) {
            String type = q.path("bnb_4bit_quant_type").asText("fp4").toLowerCase(Locale.ROOT);
            boolean dq = q.path("bnb_4bit_use_double_quant").asBoolean(false);
            if (type.equals("nf4")) {
                return dq ? "nf4-dq" : "nf4";
            }
            return "int4";
        }
        return null;
    }

    private static String grouped(String method, JsonNode q, List<String> notes) {
        Integer bits = HfConfig.firstInt(q, "bits", "w_bit");
        int gs = q.path("group_size").isNumber() ? q.path("group_size").asInt() : q.path("q_group_size").asInt(128);
        if (bits == null || (bits != 2 && bits != 3 && bits != 4 && bits != 8)) {
            notes.add(method + " bits " + FileText.clean(q.path("bits").toString(), 64) + " not supported; priced from the files if present");
            return null;
        }
        if (gs <= 0) {
            // group_size -1: one scale per output column (AutoGPTQ); the largest group we price stands in.
            notes.add(method + " group_size " + gs + " (per-column scales) priced as group size 65536");
            gs = 65536;
        }
        if (gs < 8 || gs > 65536) {
            notes.add(method + " group_size " + gs + " out of range; priced as 128");
            gs = 128;
        }
        return method + "-" + bits + "bit" + (gs == 128 ? "" : "-g" + gs);
    }
}
