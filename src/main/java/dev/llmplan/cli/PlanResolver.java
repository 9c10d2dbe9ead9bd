package dev.llmplan.cli;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.DataFileException;
import dev.llmplan.catalog.Problem;
import dev.llmplan.engine.BareSize;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.engine.Workload;
import dev.llmplan.plan.HardwareParser;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.planfile.EntryResult;
import dev.llmplan.planfile.PlanEntry;
import dev.llmplan.planfile.PlanEvaluator;
import dev.llmplan.planfile.PlanFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns plan entries into results with the CLI's own resolvers: models by {@link ModelResolver}, workload
 * values through {@link WorkloadOptions} (so names, defaults and messages match {@code fit}), hardware by
 * {@link HardwareParser}. Every entry is resolved first and every problem collected; only when there is
 * none is anything evaluated.
 */
final class PlanResolver {
    /** Stands in for an unresolvable model so the entry's workload values are still checked. */
    private static final String FALLBACK_MODEL = "7B";

    private final Catalog catalog;

    PlanResolver(Catalog catalog) {
        this.catalog = catalog;
    }

    private record Resolved(PlanEntry entry, ModelSpec model, Workload workload, HardwareSpec hardware) {
    }

    /**
     * Evaluates every entry of {@code plans}; throws {@link DataFileException} listing all problems, those
     * already found in the files' structure ({@code earlier}) and those found here, in file and line order.
     */
    List<EntryResult> evaluate(List<PlanFile> plans, Map<String, Path> directories, List<Problem> earlier) {
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
                results.add(PlanEvaluator.evaluate(r.entry(), r.model(), r.workload(), r.hardware()));
            } catch (LlmplanException ex) {
                // the engine refused the combination (e.g. heads not divisible by the GPU count)
                problems.add(new Problem(r.entry().file(), r.entry().line(), r.entry().name(), null, ex.getMessage()));
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
        ModelSpec model = local == null ? null : local.spec();
        for (var opt : e.workload().entrySet()) {
            WorkloadOptions single = new WorkloadOptions();
            single.set(opt.getKey(), opt.getValue().text());
            if (opt.getKey().equals("groupSize") && e.workload().containsKey("quant")) {
                single.set("quant", e.workload().get("quant").text()); // the group size only matters with a format
            }
            try {
                single.toWorkload(model != null ? model : BareSize.of(FALLBACK_MODEL), 1);
            } catch (LlmplanException ex) {
                boolean quantAlreadyReported = opt.getKey().equals("groupSize")
                        && problems.subList(before, problems.size()).stream().anyMatch(p -> "workload.quant".equals(p.field()));
                if (!quantAlreadyReported) {
                    problems.add(new Problem(e.file(), opt.getValue().line(), e.name(), "workload." + opt.getKey(), ex.getMessage()));
                }
            }
        }
        HardwareSpec hw = null;
        if (e.gpu() != null) {
            try {
                int nodes = e.nodes() == null ? 1 : Integer.parseInt(e.nodes().text());
                hw = HardwareParser.parse(e.gpu().text(), nodes, new HardwareLookup(catalog));
            } catch (LlmplanException ex) {
                problems.add(new Problem(e.file(), e.gpu().line(), e.name(), "hardware.gpu", ex.getMessage()));
            }
        }
        if (problems.size() > before || model == null || hw == null) {
            return null;
        }
        WorkloadOptions all = new WorkloadOptions();
        e.workload().forEach((k, v) -> all.set(k, v.text()));
        try {
            Workload w = all.toWorkload(local, hw.gpuCount());
            return new Resolved(e, local.specFor(w.format().id()), w, hw);
        } catch (LlmplanException ex) {
            problems.add(new Problem(e.file(), e.line(), e.name(), "workload", ex.getMessage()));
            return null;
        }
    }

    /** A catalog id or alias, a size, or a model file or folder relative to the plan file's directory. */
    private LocalModel model(PlanEntry e, Path dir, List<Problem> problems) {
        String text = e.model().text();
        if (dir != null && catalog.findModel(text).isEmpty()) {
            try {
                Path p = dir.resolve(text);
                if (Files.exists(p)) {
                    text = p.toString();
                }
            } catch (RuntimeException ignored) {
                // not a valid path on this system: resolve it as a name
            }
        }
        try {
            return ModelResolver.resolveLocal(text, catalog);
        } catch (LlmplanException ex) {
            problems.add(new Problem(e.file(), e.model().line(), e.name(), "model", ex.getMessage()));
            return null;
        }
    }
}
