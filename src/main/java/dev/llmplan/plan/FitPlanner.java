package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.engine.Workload;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Answers the fit questions: on given hardware, on which catalog hardware, how far context and batch go. */
public final class FitPlanner {
    /** Context ladder rungs start at 1k and double up to the model's maximum. */
    public static final int LADDER_START = 1024;
    /** Without a known maximum the ladder stops at 128k. */
    public static final int LADDER_DEFAULT_MAX = 131072;

    private FitPlanner() {
    }

    public static FitResult onHardware(ModelSpec model, Workload w, HardwareSpec hw) {
        return onHardware(model, w, hw, PlanOptions.AUTO);
    }

    /**
     * Places the workload with the given options. Model-parallel training (tp/pp) is estimated for
     * one replica (no ZeRO sharding) and divided by the placement; everything else is estimated for
     * all the GPUs.
     */
    public static FitResult onHardware(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        Strategy s = options.strategy();
        boolean modelParallel = w.mode().isTraining() && (s == Strategy.TENSOR || s == Strategy.LAYERS);
        Estimate e = MemoryEstimator.estimate(model, w.withGpuCount(modelParallel ? 1 : hw.gpuCount()));
        return Placement.place(e, hw, options);
    }

    /** As {@link #onHardware(ModelSpec, Workload, HardwareSpec)}, reusing the estimate for the same GPU count. */
    private static FitResult onHardware(ModelSpec model, Workload w, HardwareSpec hw, Map<Integer, Estimate> estimates) {
        Estimate e = estimates.get(hw.gpuCount());
        if (e == null) {
            e = MemoryEstimator.estimate(model, w.withGpuCount(hw.gpuCount()));
            estimates.put(hw.gpuCount(), e);
        }
        return Placement.place(e, hw, PlanOptions.AUTO);
    }

    /** Every catalog GPU (one card) and system it is placed on, fitting ones first, smallest first. */
    public static List<FitResult> candidates(ModelSpec model, Workload w, Collection<GpuSpec> gpus,
                                             Collection<SystemSpec> systems) {
        // The estimate depends on the workload and the number of GPUs, not on which card: one per count.
        Map<Integer, Estimate> estimates = new HashMap<>();
        List<FitResult> out = new ArrayList<>();
        for (GpuSpec g : gpus) {
            out.add(onHardware(model, w, HardwareSpec.of(g, 1), estimates));
        }
        for (SystemSpec s : systems) {
            out.add(onHardware(model, w, HardwareSpec.of(s, 1), estimates));
        }
        // Fitting first, then smallest total memory, then by label; the keys are computed once per candidate
        // (a plain comparator: the JDK's Comparator.comparing combinators spin lambda classes at run time that
        // the start-up archive cannot hold).
        List<Ranked> ranked = new ArrayList<>(out.size());
        for (FitResult f : out) {
            ranked.add(new Ranked(f, !f.verdict().fits(), f.hardware().totalMemory(), f.hardware().label()));
        }
        ranked.sort(Ranked.ORDER);
        out.clear();
        for (Ranked r : ranked) {
            out.add(r.result());
        }
        return out;
    }

    /** A candidate with its sort keys. */
    private record Ranked(FitResult result, boolean failing, Bytes total, String label) {
        static final Comparator<Ranked> ORDER = new Comparator<>() {
            @Override
            public int compare(Ranked a, Ranked b) {
                int byVerdict = Boolean.compare(a.failing, b.failing);
                if (byVerdict != 0) {
                    return byVerdict;
                }
                int byMemory = a.total.compareTo(b.total);
                return byMemory != 0 ? byMemory : a.label.compareTo(b.label);
            }
        };
    }

    /** Memory at 1k, 2k, 4k, ... up to the model's maximum context (inference and training modes). */
    public static List<ContextRung> ladder(ModelSpec model, Workload w, HardwareSpec hw) {
        if (w.mode() == Mode.LOAD) {
            return List.of();
        }
        int max = model.maxContext() != null ? model.maxContext() : LADDER_DEFAULT_MAX;
        List<ContextRung> rungs = new ArrayList<>();
        for (long c = LADDER_START; c <= max; c *= 2) {
            rungs.add(rung(model, w, hw, (int) c));
        }
        if (rungs.isEmpty() || rungs.get(rungs.size() - 1).context() != max) {
            rungs.add(rung(model, w, hw, max));
        }
        return rungs;
    }

    private static ContextRung rung(ModelSpec model, Workload w, HardwareSpec hw, int context) {
        Workload at = w.withContext(context);
        if (hw == null) {
            Estimate e = MemoryEstimator.estimate(model, at.withGpuCount(1));
            return new ContextRung(context, e.total(), true);
        }
        FitResult f = onHardware(model, at, hw);
        return new ContextRung(context, f.cards().stream().map(CardLoad::used).max(Comparable::compareTo).orElseThrow(),
                f.verdict().fits());
    }

    /** The longest context (up to the model's maximum) that fits on {@code hw}, or null if none. */
    public static Integer maxContext(ModelSpec model, Workload w, HardwareSpec hw) {
        return maxContext(model, w, hw, PlanOptions.AUTO);
    }

    public static Integer maxContext(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        int hi = model.maxContext() != null ? model.maxContext() : LADDER_DEFAULT_MAX;
        return largest(1, hi, n -> fits(model, w.withContext(n), hw, options));
    }

    /** The largest batch (up to 1,000,000) that fits on {@code hw} at the workload's context, or null. */
    public static Integer maxBatch(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        return largest(1, 1_000_000, n -> fits(model, w.withBatch(n), hw, options));
    }

    private static boolean fits(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        try {
            return onHardware(model, w, hw, options).verdict().fits();
        } catch (LlmplanException e) {
            return false;
        }
    }

    /** Binary search for the largest n in [lo, hi] with fits(n), memory being monotonic in n. */
    static Integer largest(int lo, int hi, java.util.function.IntPredicate fits) {
        if (!fits.test(lo)) {
            return null;
        }
        if (fits.test(hi)) {
            return hi;
        }
        int good = lo;
        int bad = hi;
        while (bad - good > 1) {
            int mid = good + (bad - good) / 2;
            if (fits.test(mid)) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        return good;
    }
}
