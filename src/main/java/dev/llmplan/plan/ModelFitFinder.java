package dev.llmplan.plan;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code models --fits HW}: for each model, the highest-precision format that fits (16-bit, then
 * 8-bit, then 4-bit, never below the {@code --quant} floor) and the longest context at that format.
 * Training modes keep the workload's format (the base format is part of the mode, e.g. QLoRA's NF4).
 */
public final class ModelFitFinder {
    private ModelFitFinder() {
    }

    /** Fitting models sorted by size, and a note per reason a model could not be evaluated. */
    public record Result(List<ModelFit> fits, Map<String, Integer> skipped) {
    }

    /**
     * @param workloadFor builds each model's workload (it may throw for that model: skipped, counted)
     * @param floor       lowest-precision format to try (null: down to 4-bit)
     */
    public static Result find(Iterable<ModelSpec> models, Function<ModelSpec, Workload> workloadFor, HardwareSpec hw,
                              PlanOptions options, WeightFormat floor) {
        List<ModelFit> out = new ArrayList<>();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        for (ModelSpec m : models) {
            // Only models one can download are listed; fit and recommend still size a closed model with a
            // published shape (GPT-3) as a hypothetical.
            if (!m.openWeights() || !m.hasParameters()) {
                skipped.merge("no public weights (only open models are listed; fit and recommend estimate closed"
                        + " models with a published shape as hypotheticals)", 1, Integer::sum);
                continue;
            }
            try {
                Workload w = workloadFor.apply(m);
                ModelFit f = best(m, w, hw, options, floor);
                if (f != null) {
                    out.add(f);
                }
            } catch (LlmplanException e) {
                skipped.merge(e.getMessage().replace(m.name(), "the model"), 1, Integer::sum);
            }
        }
        out.sort(Comparator.comparing((ModelFit f) -> f.model().parameters()).thenComparing(f -> f.model().id()));
        return new Result(out, skipped);
    }

    static ModelFit best(ModelSpec m, Workload w, HardwareSpec hw, PlanOptions options, WeightFormat floor) {
        for (WeightFormat f : ladder(m, w, floor)) {
            Workload at = w.withFormat(f);
            FitResult r = FitPlanner.onHardware(m, at, hw, options);
            if (r.verdict() == Verdict.FITS) {
                Integer ctx = w.mode() == Mode.LOAD ? null : FitPlanner.maxContext(m, at, hw, options);
                return new ModelFit(m, f, r, ctx);
            }
        }
        return null;
    }

    /**
     * Formats from the checkpoint's own down to the floor, in the floor's family (GGUF or not). Nothing is
     * tried above the checkpoint's bits: quantising a 4-bit MXFP4 model "up" to int8 only adds memory.
     */
    static List<WeightFormat> ladder(ModelSpec m, Workload w, WeightFormat floor) {
        if (w.mode().isTraining()) {
            return List.of(w.format());
        }
        WeightFormat nativeFormat = WeightFormat.defaultFor(m, Mode.INFERENCE, null);
        List<String> ids = floor != null && floor.isGguf()
                ? List.of("q8_0", "q6_k", "q5_k_m", "q4_k_m", "q3_k_m", "q2_k")
                : List.of(nativeFormat.id(), "int8", "int4");
        double min = floor == null ? 0 : floor.blockBits();
        List<WeightFormat> out = new ArrayList<>();
        for (String id : ids) {
            WeightFormat f = WeightFormat.parse(id, null);
            boolean isNative = f.id().equals(nativeFormat.id());
            boolean belowNative = f.blockBits() < nativeFormat.blockBits();
            boolean aboveFloor = f.blockBits() >= min
                    && (floor == null || f.blockBits() > floor.blockBits() || f.id().equals(floor.id()));
            if (isNative || belowNative && aboveFloor) {
                out.add(f);
            }
        }
        // The format the user named is always tried last, as fit answers for it: nominal bits do not order
        // every pair (bitsandbytes int4 quantises every linear layer, MXFP4 only the experts), nor do the
        // formats' error bands, and a GGUF type may lie above the checkpoint's bits (q8_0 of an FP8 model).
        if (floor != null && out.stream().noneMatch(f -> f.id().equals(floor.id()))) {
            out.add(floor);
        }
        // A runtime that loads only some formats (autoawq: AWQ; vLLM: no GGUF) is tried at those; when it loads none of
        // them the last is kept, so the model is reported as skipped with the runtime's reason.
        Runtime runtime = w.runtime();
        if (runtime != null) {
            List<WeightFormat> loadable = out.stream().filter(runtime::loads).toList();
            return loadable.isEmpty() ? List.of(out.get(out.size() - 1)) : loadable;
        }
        return out;
    }
}
