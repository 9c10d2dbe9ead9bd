package dev.llmplan.cli;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Workload;
import dev.llmplan.format.FitReport;
import dev.llmplan.format.PlanSection;
import dev.llmplan.plan.SpeedModel;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.plan.ContextRung;
import dev.llmplan.plan.FitPlanner;
import dev.llmplan.plan.FitResult;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.plan.PlanOptions;
import dev.llmplan.request.HardwareResolver;
import dev.llmplan.request.ModelResolver;
import dev.llmplan.request.OptionValues;
import dev.llmplan.request.Options;
import dev.llmplan.request.UserOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code llmplan fit MODEL}: where the memory goes and whether it fits. */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Memory breakdown of MODEL for a workload, and whether it fits on given or catalog GPUs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:does not fit (with --check)", "2:usage error", "3:bad data", "4:internal error"})
final class FitCommand implements Callable<Integer>, OptionBinding.Bound {
    private final Context context;

    @Parameters(index = "0", paramLabel = "MODEL", completionCandidates = Candidates.ModelIds.class,
            description = "A catalog id or alias (llama-2-70b, \"Llama 2 70B\"), a size (70B, 1.3b, 8x7B), "
                    + "a path (a model folder, config.json, .safetensors or .gguf file), or a Hugging Face repository: "
                    + "hf:ORG/NAME[@REVISION], hf:ORG/NAME/FILE.gguf, or ORG/NAME when it is not a catalog id.")
    String model;

    private final OptionValues options = new OptionValues();

    @Mixin
    OutputOptions output;

    @Option(names = "--check", description = "Exit 1 when the workload does not fit on --gpu.")
    boolean check;

    @Option(names = "--explain", description = "Show how each component is computed, with its source.")
    boolean explain;

    @Option(names = "--no-ladder", description = "Leave out the context ladder.")
    boolean noLadder;

    FitCommand(Context context) {
        this.context = context;
    }

    @Override
    public UserOption.Use use() {
        return UserOption.Use.FIT;
    }

    @Override
    public OptionValues options() {
        return options;
    }

    @Override
    public Integer call() {
        Timing.mark("options parsed");
        output.validate();
        String gpu = options.get(Options.GPU);
        if (check && gpu == null) {
            throw LlmplanException.invalid("--check needs {gpu}: the hardware to check against");
        }
        options.validatePlanning();
        Catalog catalog = context.catalogs().get();
        Timing.mark("catalog loaded");
        ModelResolver models = new ModelResolver(catalog, context.env());
        LocalModel local = models.resolve(model);
        List<String> modelNotes = models.notes();
        modelNotes.forEach(n -> context.err().println("llmplan fit: note: " + n));
        HardwareResolver hardware = new HardwareResolver(catalog, context.env());
        HardwareSpec hw = gpu == null ? null : hardware.parse(gpu, options.nodes(), options.ignoreUsed());
        hardware.notes().forEach(n -> context.err().println("llmplan fit: note: " + Options.forCommandLine(n)));
        Workload w = options.toWorkload(local, hw == null ? 1 : Math.max(1, hw.gpuCount()), models::resolve);
        models.notes().stream().skip(modelNotes.size()).forEach(n -> context.err().println("llmplan fit: note: " + n));
        ModelSpec spec = local.specFor(w.format().id());
        Timing.mark("model and workload resolved");
        FitReport report = report(spec, w, hw, catalog);
        Timing.mark("report computed");
        for (String note : options.notes()) {
            context.err().println("llmplan fit: note: " + note);
        }
        for (String warning : report.warnings()) {
            context.err().println("llmplan fit: warning: " + Options.forCommandLine(warning));
        }
        context.err().flush();
        output.print(context, report);
        Timing.mark("report rendered");
        return check && !report.onGiven().verdict().fits() ? Cli.CHECK_FAILED : Cli.OK;
    }

    private FitReport report(ModelSpec spec, Workload w, HardwareSpec hw, Catalog catalog) {
        PlanOptions plan = options.planOptions();
        if (hw != null) {
            FitResult on = FitPlanner.onHardware(spec, w, hw, plan);
            // The ladder is per GPU: the CPU alone has none.
            List<ContextRung> ladder = noLadder || hw.cpuOnly() ? List.of() : FitPlanner.ladder(spec, w, hw, plan);
            FitReport.Extras extras = FitReport.Extras.NONE;
            // Without {ram} the CPU alone has no size to find limits against.
            if (w.mode() == Mode.INFERENCE && !(hw.cpuOnly() && plan.hostRam() == null)) {
                Integer longest = FitPlanner.maxContext(spec, w, hw, plan);
                // On cards too small for every layer (or with {gpuLayers} given), llama.cpp's answer is how many fit.
                boolean layersQuestion = on.estimate().runtime().runsHostLayersOnCpu() && !hw.cpuOnly()
                        && (on.verdict() != dev.llmplan.plan.Verdict.FITS || plan.gpuLayers() != null);
                Integer gpuLayers = layersQuestion ? FitPlanner.maxGpuLayers(spec, w, hw, plan) : null;
                extras = new FitReport.Extras(longest, FitPlanner.maxBatch(spec, w, hw, plan),
                        FitPlanner.contextLimit(spec, w, hw, plan, longest), gpuLayers,
                        on.estimate().model().arch().totalLayers());
            }
            PlanSection speed = new PlanSection(on, SpeedModel.of(on, options.speed()), options.speed());
            return new FitReport(on.estimate(), on, List.of(), ladder, extras, speed, explain, null);
        }
        Estimate e = MemoryEstimator.estimate(spec, w);
        Timing.mark("estimate");
        List<FitResult> candidates = FitPlanner.candidates(spec, w, catalog.gpus(), catalog.systems(), plan);
        Timing.mark("candidate table");
        List<ContextRung> ladder = noLadder ? List.of() : FitPlanner.ladder(spec, w, null, plan);
        Timing.mark("context ladder");
        return new FitReport(e, null, candidates, ladder, null, null, explain, plan.bands().of(e));
    }
}
