package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.engine.VllmCapacity;
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
        return onHardware(model, w, hw, options, new HashMap<>());
    }

    /** As above, reusing the estimate made for the same number of estimated GPUs. */
    private static FitResult onHardware(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options,
                                        Map<Integer, Estimate> estimates) {
        Strategy s = options.strategy();
        boolean modelParallel = w.mode().isTraining() && (s == Strategy.TENSOR || s == Strategy.LAYERS);
        // The CPU alone is estimated as one device whose parts all go to host memory.
        int gpus = modelParallel ? 1 : Math.max(1, hw.gpuCount());
        Estimate e = estimates.get(gpus);
        if (e == null) {
            e = MemoryEstimator.estimate(model, w.withGpuCount(gpus));
            estimates.put(gpus, e);
        }
        return Placement.place(e, hw, options);
    }

    /** Every catalog GPU (one card) and system it is placed on, fitting ones first, smallest first. */
    public static List<FitResult> candidates(ModelSpec model, Workload w, Collection<GpuSpec> gpus,
                                             Collection<SystemSpec> systems) {
        return candidates(model, w, gpus, systems, PlanOptions.AUTO);
    }

    public static List<FitResult> candidates(ModelSpec model, Workload w, Collection<GpuSpec> gpus,
                                             Collection<SystemSpec> systems, PlanOptions options) {
        // The estimate depends on the workload and the number of GPUs, not on which card: one per count.
        Map<Integer, Estimate> estimates = new HashMap<>();
        List<FitResult> out = new ArrayList<>();
        for (GpuSpec g : gpus) {
            out.add(onHardware(model, w, HardwareSpec.of(g, 1), options, estimates));
        }
        for (SystemSpec s : systems) {
            out.add(onHardware(model, w, HardwareSpec.of(s, 1), options, estimates));
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
        return ladder(model, w, hw, PlanOptions.AUTO);
    }

    /** As above, each rung placed with {@code options} (the same placement the verdict uses). */
    public static List<ContextRung> ladder(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        if (w.mode() == Mode.LOAD) {
            return List.of();
        }
        int max = model.maxContext() != null ? model.maxContext() : LADDER_DEFAULT_MAX;
        List<ContextRung> rungs = new ArrayList<>();
        for (long c = LADDER_START; c <= max; c *= 2) {
            rungs.add(rung(model, w, hw, (int) c, options));
        }
        if (rungs.isEmpty() || rungs.get(rungs.size() - 1).context() != max) {
            rungs.add(rung(model, w, hw, max, options));
        }
        return rungs;
    }

    private static ContextRung rung(ModelSpec model, Workload w, HardwareSpec hw, int context, PlanOptions options) {
        Workload at = w.withContext(context);
        if (hw == null) {
            Estimate e = MemoryEstimator.estimate(model, at.withGpuCount(1));
            return new ContextRung(context, e.total(), null);
        }
        FitResult f = onHardware(model, at, hw, options);
        return new ContextRung(context, Bytes.of(f.maxUsedBytes()), f.verdict());
    }

    /** The longest context (up to the model's maximum) whose verdict is "fits" on {@code hw}, or null if none. */
    public static Integer maxContext(ModelSpec model, Workload w, HardwareSpec hw) {
        return maxContext(model, w, hw, PlanOptions.AUTO);
    }

    public static Integer maxContext(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        int hi = model.maxContext() != null ? model.maxContext() : LADDER_DEFAULT_MAX;
        Integer longest = largest(1, hi, n -> fits(model, w.withContext(n), hw, options));
        // A pre-allocated block pool (vLLM) holds whole blocks: the bytes left may hold a few tokens more
        // than its blocks do, and the pool is what the runtime enforces (max_model_len must fit in it).
        VllmCapacity pool = longest == null ? null : pool(model, w.withContext(longest), hw, options);
        if (pool != null && pool.tokensPerSequence(w.batch()) < longest) {
            long perSequence = pool.tokensPerSequence(w.batch());
            return perSequence <= 0 ? null : (int) perSequence;
        }
        return longest;
    }

    /** The largest batch (up to 1,000,000) whose verdict is "fits" on {@code hw} at the workload's context, or null. */
    public static Integer maxBatch(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        Integer largest = largest(1, 1_000_000, n -> fits(model, w.withBatch(n), hw, options));
        VllmCapacity pool = largest == null ? null : pool(model, w.withBatch(largest), hw, options);
        if (pool != null) {
            Estimate e = onHardware(model, w.withBatch(largest), hw, options).estimate();
            long sequences = pool.sequences(e.context());
            if (sequences < largest) {
                return sequences <= 0 ? null : (int) sequences;
            }
        }
        return largest;
    }

    /** The runtime's pre-allocated KV block pool on the first card (vLLM), or null. */
    private static VllmCapacity pool(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        if (hw.cpuOnly()) {
            return null;
        }
        try {
            Estimate e = onHardware(model, w, hw, options).estimate();
            return e.runtime().kvBlockPool(e, hw.cards().get(0).usableMemory()).orElse(null);
        } catch (LlmplanException ex) {
            return null;
        }
    }

    /** Whether the verdict is "fits" (not merely "tight"): the one rule for longest context and largest batch. */
    private static boolean fits(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        try {
            return onHardware(model, w, hw, options).verdict() == Verdict.FITS;
        } catch (LlmplanException e) {
            return false;
        }
    }

    /**
     * The most layers {@code gpuLayers} can keep on the cards with the verdict "fits", the rest in host
     * memory (llama.cpp's {@code -ngl}); null when not even 0 fits (the per-card parts alone are too
     * big) or the plan has no layers to split (training, the CPU alone).
     */
    public static Integer maxGpuLayers(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options) {
        if (w.mode().isTraining() || hw.cpuOnly()) {
            return null;
        }
        int layers = MemoryEstimator.withShapeOf(model).arch().totalLayers();
        if (layers <= 0) {
            return null;
        }
        java.util.function.IntPredicate fits = n -> {
            try {
                return onHardware(model, w, hw, options.withGpuLayers(n)).verdict() == Verdict.FITS;
            } catch (LlmplanException e) {
                return false;
            }
        };
        if (!fits.test(0)) {
            return null;
        }
        Integer most = largest(1, layers, fits);
        return most == null ? 0 : most;
    }

    /** What stops the context at {@code longest}: the model's maximum, or the memory (a runtime's KV pool). */
    public static String contextLimit(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions options, Integer longest) {
        if (longest == null) {
            return null;
        }
        int max = model.maxContext() != null ? model.maxContext() : LADDER_DEFAULT_MAX;
        if (longest >= max) {
            return model.maxContext() != null ? "the model's maximum" : "the longest context tried";
        }
        if (hw.cpuOnly()) {
            return "limited by {ram} at the high end of the error band";
        }
        FitResult at = onHardware(model, w.withContext(longest), hw, options);
        VllmCapacity pool = at.estimate().runtime().kvBlockPool(at.estimate(), hw.cards().get(0).usableMemory()).orElse(null);
        if (pool != null) {
            // One sequence's activations are profiled at a fixed token count, so the pool, not the
            // activations, bounds the context; vLLM refuses a max_model_len its pool cannot hold.
            String shared = w.batch() > 1 ? " shared by the batch of " + w.batch() : "";
            String pooled = Fmt.format("%,d blocks x %d tokens = %,d tokens%s, left after the weights and the activations"
                    + " profiled for %,d batched tokens", pool.blocks(), pool.blockSize(), pool.tokens(), shared,
                    pool.profiledTokens());
            if (at.band().high() > 0 && longest < pool.tokensPerSequence(w.batch())) {
                return "limited by vLLM's KV block pool with the weights and activations at the high end of the error"
                        + " band (as estimated the pool is " + pooled + "); vLLM refuses a max_model_len above its pool";
            }
            return "limited by vLLM's KV block pool: " + pooled + "; max_model_len can be at most this";
        }
        return "limited by GPU memory" + (at.band().cases() > 0 ? " at the high end of the error band" : "")
                + Fmt.format(", %s%% of each card kept free ({minHeadroom})", Fmt.format("%.3g", options.policy().margin() * 100));
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
