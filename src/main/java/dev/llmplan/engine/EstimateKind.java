package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The kind of an estimate for its error band: runtime x what the GPU does x weight format family x one GPU or several,
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

    /** One GPU or several: multi-GPU runs add communication buffers and sharding that one GPU never holds. */
    public static String scale(int gpus) {
        return gpus > 1 ? MULTI_GPU : ONE_GPU;
    }

    static final String ONE_GPU = "one-gpu";
    static final String MULTI_GPU = "multi-gpu";

    /**
     * Keys from the most specific to the most general: runtime/mode/format, runtime/mode, mode, each followed by
     * the same kind at the estimate's scale (one GPU or several). The scale refines a kind rather than replacing
     * it, because multi-GPU fine-tuning errs in its own direction (its 95th percentile is 8 to 22 points above one
     * GPU's, by fine-tune mode) while a kind's runs at one scale alone are often few.
     */
    public static List<String> keys(Estimate e) {
        return keys(e, e.workload().gpuCount());
    }

    /** {@link #keys(Estimate)} for a run over {@code gpus} GPUs; 0 (the CPU alone) has no scale. */
    public static List<String> keys(Estimate e, int gpus) {
        Workload w = e.workload();
        String kind = String.join("/", e.runtime().id(), modeClass(w), formatFamily(w.format()));
        return chain(gpus == 0 ? kind : kind + "/" + scale(gpus));
    }

    /** A kind key and the coarser kinds it pools with, most specific first (see {@link #keys}). */
    public static List<String> chain(String key) {
        List<String> p = new ArrayList<>(List.of(key.split("/")));
        String scale = isScale(p.get(p.size() - 1)) ? p.remove(p.size() - 1) : null;
        List<String> unscaled = switch (p.size()) {
            case 3 -> List.of(String.join("/", p), p.get(0) + "/" + p.get(1), p.get(1));
            case 2 -> List.of(String.join("/", p), p.get(1));
            default -> List.of(p.get(0));
        };
        if (scale == null) {
            return unscaled;
        }
        List<String> keys = new ArrayList<>();
        for (String k : unscaled) {
            keys.add(k);
            keys.add(k + "/" + scale);
        }
        return keys;
    }

    /** Whether a key is split by scale (one GPU or several). */
    public static boolean isScaled(String key) {
        return isScale(key.substring(key.lastIndexOf('/') + 1));
    }

    private static boolean isScale(String segment) {
        return segment.equals(ONE_GPU) || segment.equals(MULTI_GPU);
    }

    /** How a key reads in output: "transformers inference, float" or, split by scale, "... on one GPU". */
    public static String describe(String key) {
        List<String> p = new ArrayList<>(List.of(key.split("/")));
        String where = isScale(p.get(p.size() - 1)) ? " " + where(p.remove(p.size() - 1)) : "";
        String what = switch (p.size()) {
            case 3 -> p.get(0) + " " + p.get(1) + ", " + p.get(2);
            case 2 -> p.get(0) + " " + p.get(1);
            default -> p.get(0);
        };
        return what + where;
    }

    /** "on one GPU" or "on several GPUs" for a scaled key. */
    public static String where(String scaledKey) {
        if (!isScaled(scaledKey)) {
            throw new IllegalArgumentException("not a key split by scale: " + scaledKey);
        }
        return scaledKey.endsWith(ONE_GPU) ? "on one GPU" : "on several GPUs";
    }
}
