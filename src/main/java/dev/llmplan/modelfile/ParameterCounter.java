package dev.llmplan.modelfile;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parameters from stored tensors. Plain checkpoints hold one element per parameter; quantised ones
 * pack several per stored element and add scale tensors that are not parameters:
 * GPTQ / AWQ {@code qweight} int32 holds 32 / bits weights and {@code qzeros}, {@code scales},
 * {@code g_idx} are bookkeeping (AutoGPTQ QuantLinear); bitsandbytes 4-bit stores two weights per
 * uint8 with {@code absmax} / {@code quant_map} / {@code quant_state} beside them and 8-bit adds
 * {@code SCB} (bitsandbytes Params4bit / Int8Params serialisation); FP8 checkpoints add
 * {@code weight_scale} / {@code input_scale}; MXFP4 ({@code _blocks} uint8, two values per byte,
 * plus {@code _scales}) as in gpt-oss.
 */
final class ParameterCounter {
    private static final Pattern BITS = Pattern.compile("(?:gptq|awq)-(\\d+)bit.*");

    private ParameterCounter() {
    }

    static long count(List<TensorEntry> tensors, QuantConfig quant) {
        String format = quant == null || quant.format() == null ? "" : quant.format();
        Matcher m = BITS.matcher(format);
        int packedBits = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        long total = 0;
        for (TensorEntry t : tensors) {
            total = Math.addExact(total, Math.multiplyExact(t.elements(), perElement(t, format, packedBits)));
        }
        return total;
    }

    /** Parameters each stored element holds (0 for scale and index tensors). */
    private static long perElement(TensorEntry t, String format, int packedBits) {
        String n = t.name();
        if (packedBits > 0) {
            if (n.endsWith(".qweight")) {
                return 32 / packedBits;
            }
            if (n.endsWith(".qzeros") || n.endsWith(".scales") || n.endsWith(".g_idx")) {
                return 0;
            }
        }
        if (n.endsWith(".absmax") || n.contains(".quant_map") || n.contains(".quant_state") || n.contains(".nested_")
                || n.endsWith(".SCB") || n.endsWith(".weight_format")) {
            return 0;
        }
        if ((format.startsWith("nf4") || format.equals("int4")) && t.type().equals("U8") && n.endsWith(".weight")) {
            return 2;
        }
        if (n.endsWith("weight_scale") || n.endsWith("weight_scale_inv") || n.endsWith("input_scale")) {
            return 0;
        }
        if (n.endsWith("_blocks") && t.type().equals("U8")) {
            return 2;
        }
        if (n.endsWith("_scales") && t.type().equals("U8")) {
            return 0;
        }
        return 1;
    }
}
