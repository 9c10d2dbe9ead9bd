package dev.llmplan.plan;

import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.KvFormat;
import dev.llmplan.engine.TrainingOptions;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Warnings that depend on the cards a workload is placed on: a number format the card has no units
 * for, a runtime or kernel that does not run there. They never change the verdict: the memory is what
 * it is, but the user would otherwise find out at start-up.
 */
final class HardwareWarnings {
    private HardwareWarnings() {
    }

    static List<String> of(Estimate e, HardwareSpec hw) {
        Workload w = e.workload();
        Set<String> out = new LinkedHashSet<>();
        for (GpuSpec g : distinct(hw)) {
            String arch = g.architecture() == null ? "" : g.architecture();
            if (usesBf16(w) && Features.bf16(g) == Boolean.FALSE) {
                // bf16 tensor-core math starts at compute capability 8.0 (Ampere): CUDA C++ Programming Guide,
                // "__nv_bfloat16" arithmetic and mma shapes need sm_80; vLLM refuses bf16 below it and says to use float16.
                out.add("bf16 on " + g.id() + " (" + family(arch) + "): the card has no bf16 units (they start with Ampere,"
                        + " compute capability 8.0); vLLM refuses it and PyTorch emulates it slowly: use fp16"
                        + (e.workload().mode().isTraining() ? " ({precision} fp16-mixed)" : " ({quant} fp16)")
                        + "; the memory is the same");
            }
            if (usesFp8(w) && Features.fp8(g) == Boolean.FALSE) {
                // FP8 tensor cores: Ada (sm_89) and Hopper (sm_90) on; vLLM runs FP8 checkpoints on older cards as
                // weight-only FP8 through its Marlin kernels (vLLM docs, "FP8 W8A8": "Ampere: weight-only FP8").
                out.add("FP8 on " + g.id() + " (" + family(arch) + "): the card has no FP8 units (NVIDIA from Ada/Hopper,"
                        + " AMD from CDNA 3); vLLM runs FP8 weights there weight-only (Marlin, 16-bit math) and other"
                        + " runtimes may refuse or upcast them");
            }
            if (Features.apple(g)) {
                if ("vllm".equals(e.runtime().id())) {
                    out.add("vLLM on " + g.id() + ": vLLM has no Metal backend (CUDA, ROCm and CPU builds), so on"
                            + " Apple silicon it runs on the CPU; use {runtime} llama.cpp (or MLX) for the GPU");
                }
                WeightFormat.Kind k = w.format().kind();
                if (k == WeightFormat.Kind.GPTQ || k == WeightFormat.Kind.AWQ || k == WeightFormat.Kind.BITSANDBYTES
                        || k == WeightFormat.Kind.EXL2) {
                    out.add(w.format().id() + " on " + g.id() + ": its kernels are CUDA (some ROCm) only; on Apple silicon"
                            + " use a GGUF {quant} such as q4_k_m with llama.cpp, or MLX");
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** One of each kind of card, in order. */
    private static List<GpuSpec> distinct(HardwareSpec hw) {
        List<GpuSpec> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (HardwareSpec.Group g : hw.groups()) {
            if (seen.add(g.gpu().id())) {
                out.add(g.gpu());
            }
        }
        return out;
    }

    private static boolean usesBf16(Workload w) {
        TrainingOptions.Precision p = w.mode().isTraining() ? w.training().precision() : null;
        return "bf16".equals(w.format().id()) || w.kvFormat() == KvFormat.BF16
                || p == TrainingOptions.Precision.BF16_MIXED || p == TrainingOptions.Precision.BF16_PURE;
    }

    private static boolean usesFp8(Workload w) {
        return w.format().kind() == WeightFormat.Kind.FP8;
    }

    /** "Turing (TU104)" -> "Turing". */
    private static String family(String arch) {
        int cut = arch.indexOf(" (");
        return cut < 0 ? arch : arch.substring(0, cut);
    }

    /**
     * What a card's architecture (the catalog's {@code architecture} field) says about its number
     * formats: {@code null} when the catalog does not tell.
     */
    static final class Features {
        private Features() {
        }

        /** bf16 units: NVIDIA from Ampere (compute capability 8.0); Volta (7.0), Turing (7.5) and Pascal have none. */
        static Boolean bf16(GpuSpec g) {
            String a = lower(g);
            if (nvidia(g) && (a.startsWith("volta") || a.startsWith("turing") || a.startsWith("pascal"))) {
                return false;
            }
            return nvidia(g) && !a.isEmpty() ? Boolean.TRUE : null;
        }

        /**
         * FP8 units: a catalog FP8 rate says yes; NVIDIA Ada (8.9), Hopper (9.0) and Blackwell, AMD CDNA 3 and
         * Intel Gaudi 2/3 have them; NVIDIA Pascal to Ampere, AMD CDNA 2 and RDNA 3, Intel Arc and Apple do not.
         */
        static Boolean fp8(GpuSpec g) {
            if (g.fp8Tflops() != null && g.fp8Tflops() > 0) {
                return true;
            }
            String a = lower(g);
            if (a.startsWith("ada") || a.startsWith("hopper") || a.startsWith("blackwell") || a.startsWith("cdna 3")
                    || a.startsWith("gaudi")) {
                return true;
            }
            if (a.startsWith("volta") || a.startsWith("turing") || a.startsWith("pascal") || a.startsWith("ampere")
                    || a.startsWith("cdna 2") || a.startsWith("cdna (") || a.startsWith("rdna") || a.startsWith("xe")
                    || a.startsWith("apple")) {
                return false;
            }
            return null;
        }

        static boolean apple(GpuSpec g) {
            return "apple".equals(g.vendor()) || lower(g).startsWith("apple");
        }

        private static boolean nvidia(GpuSpec g) {
            return "nvidia".equals(g.vendor());
        }

        private static String lower(GpuSpec g) {
            return g.architecture() == null ? "" : g.architecture().trim().toLowerCase(Locale.ROOT);
        }
    }
}
