package dev.llmplan.engine;

import java.util.List;

/**
 * The kind of an estimate for its error band: runtime x what the GPU does x weight format family,
 * with coarser kinds to pool with when a kind has few measurements. The same key is computed when the
 * bands are built from the validation cases and when an estimate looks its band up.
 */
public final class EstimateKind {
    private EstimateKind() {
    }

    /** What the GPU does, as far as the error of the estimate goes. */
    public static String modeClass(Workload w) {
        Mode m = w.mode();
        if (m == Mode.LOAD) {
            return "load";
        }
        if (m == Mode.INFERENCE) {
            return "inference";
        }
        if (m == Mode.QLORA || m.isPeft() && w.format().kind() != WeightFormat.Kind.FLOAT) {
            return "qlora";
        }
        return m.isPeft() ? "lora" : "train";
    }

    /** The weight format's family: quantisers differ in what they keep in 16 bits and in their buffers. */
    public static String formatFamily(WeightFormat f) {
        return switch (f.kind()) {
            case FLOAT -> "float";
            case FP8 -> "fp8";
            case MXFP4 -> "mxfp4";
            case BITSANDBYTES -> "bitsandbytes";
            case GPTQ, AWQ, EXL2 -> "gptq";
            case GGUF -> "gguf";
        };
    }

    /** Keys from the most specific to the most general: runtime/mode/format, runtime/mode, mode. */
    public static List<String> keys(Estimate e) {
        String runtime = e.runtime().id();
        String mode = modeClass(e.workload());
        return List.of(runtime + "/" + mode + "/" + formatFamily(e.workload().format()), runtime + "/" + mode, mode);
    }

    /** How a key reads in output: "transformers inference, 16-bit". */
    public static String describe(String key) {
        String[] p = key.split("/");
        return switch (p.length) {
            case 3 -> p[0] + " " + p[1] + ", " + p[2];
            case 2 -> p[0] + " " + p[1];
            default -> p[0];
        };
    }
}
