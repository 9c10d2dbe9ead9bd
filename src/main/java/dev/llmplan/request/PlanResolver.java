package dev.llmplan.request;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.yaml.DataFileException;
import dev.llmplan.yaml.Problem;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.engine.Workload;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.plan.PlanOptions;
import dev.llmplan.plan.SpeedAssumptions;
import dev.llmplan.planfile.EntryResult;
import dev.llmplan.planfile.PlanEntry;
import dev.llmplan.planfile.PlanEvaluator;
import dev.llmplan.planfile.PlanFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns plan entries into results with the CLI's own resolvers: models by {@link ModelResolver}, settings
 * through the option table and {@link OptionValues} (so names, defaults and messages match {@code fit}), hardware by
 * {@link HardwareResolver} (catalog ids, or auto). Every entry is resolved first and every problem collected; only when there is
 * none is anything evaluated.
 */
public final class PlanResolver {
    private final ModelResolver models;
    private final HardwareResolver hardware;

    /** @param env the environment (HOME, and the hub's HF_* variables for hf: models) */
    public PlanResolver(Catalog catalog, Map<String, String> env) {
        this.models = new ModelResolver(catalog, env);
        this.hardware = new HardwareResolver(catalog, env);
    }

    private record Resolved(PlanEntry entry, ModelSpec model, Workload workload, HardwareSpec hardware, PlanOptions plan,
                            SpeedAssumptions speed) {
    }

    /**
     * Evaluates every entry of {@code plans}; throws {@link DataFileException} listing all problems, those
     * already found in the files' structure ({@code earlier}) and those found here, in file and line order.
     */
    public List<EntryResult> evaluate(List<PlanFile> plans, Map<String, Path> directories, List<Problem> earlier) {
        List<Problem> problems = new ArrayList<>(earlier);
        List<Resolved> resolved = new ArrayList<>();
        for (PlanFile plan : plans) {
            for (PlanEntry e : plan.entries()) {
                Resolved r = resolve(e, directories.get(plan.file()), problems);
                if (r != null) {
                    resolved.add(r);
                }
            }
        }
        failIfAny(problems, plans);
        List<EntryResult> results = new ArrayList<>();
        for (Resolved r : resolved) {
            try {
                results.add(PlanEvaluator.evaluate(r.entry(), r.model(), r.workload(), r.hardware(), r.plan(), r.speed()));
            } catch (LlmplanException ex) {
                // the engine refused the combination (e.g. heads not divisible by the GPU count)
                problems.add(new Problem(r.entry().file(), r.entry().line(), r.entry().name(), null, Options.forPlanFile(ex.getMessage())));
            }
        }
        failIfAny(problems, plans);
        return results;
    }

    private static void failIfAny(List<Problem> problems, List<PlanFile> plans) {
        if (!problems.isEmpty()) {
            List<String> order = plans.stream().map(PlanFile::file).toList();
            problems.sort(Comparator.comparingInt((Problem p) -> order.indexOf(p.file())).thenComparingInt(Problem::line));
            throw new DataFileException(problems);
        }
    }

    private Resolved resolve(PlanEntry e, Path dir, List<Problem> problems) {
        int before = problems.size();
        LocalModel local = e.model() == null ? null : model(e, dir, problems);
        OptionValues values = new OptionValues();
        for (var setting : e.settings().entrySet()) {
            UserOption option = Options.byKey(setting.getKey()).orElseThrow();
            values.set(option, setting.getValue().text());
            try {
                option.checkValue(setting.getValue().text());
            } catch (LlmplanException ex) {
                problems.add(new Problem(e.file(), setting.getValue().line(), e.name(), option.planPath(),
                        Options.forPlanFile(ex.getMessage())));
            }
        }
        HardwareSpec hw = null;
        if (e.gpu() != null) {
            try {
                hw = hardware.parse(e.gpu().text(), nodesOrOne(values), ignoreUsedOrFalse(values));
            } catch (LlmplanException ex) {
                problems.add(new Problem(e.file(), e.gpu().line(), e.name(), Options.GPU.planPath(),
                        Options.forPlanFile(ex.getMessage())));
            }
        }
        if (problems.size() > before || local == null || hw == null) {
            return null;
        }
        try {
            Workload w = values.toWorkload(local, Math.max(1, hw.gpuCount()), name -> models.resolve(name, dir));
            return new Resolved(e, local.specFor(w.format().id()), w, hw, values.planOptions(), values.speed());
        } catch (LlmplanException ex) {
            problems.add(new Problem(e.file(), e.line(), e.name(), "workload", Options.forPlanFile(ex.getMessage())));
            return null;
        }
    }

    /** The entry's ignoreUsed, or false when it is invalid (already reported). */
    private static boolean ignoreUsedOrFalse(OptionValues values) {
        try {
            return values.ignoreUsed();
        } catch (LlmplanException e) {
            return false;
        }
    }

    /** Notes for stderr: what gpu: auto detected, and hub reads answered from the cache. */
    public List<String> notes() {
        List<String> out = new ArrayList<>(hardware.notes());
        out.addAll(models.notes());
        return out;
    }

    /** The entry's node count, or 1 when it is invalid (already reported), so its GPUs are still checked. */
    private static int nodesOrOne(OptionValues values) {
        try {
            return values.nodes();
        } catch (LlmplanException e) {
            return 1;
        }
    }

    /** A model as {@link ModelResolver} reads it, with paths relative to the plan file's directory. */
    private LocalModel model(PlanEntry e, Path dir, List<Problem> problems) {
        try {
            return models.resolve(e.model().text(), dir);
        } catch (LlmplanException ex) {
            problems.add(new Problem(e.file(), e.model().line(), e.name(), "model", Options.forPlanFile(ex.getMessage())));
            return null;
        }
    }
}
