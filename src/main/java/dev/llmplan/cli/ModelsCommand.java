package dev.llmplan.cli;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.format.ModelListReport;
import dev.llmplan.format.ModelFitReport;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.plan.ModelFitFinder;
import dev.llmplan.plan.PlanOptions;
import dev.llmplan.request.HardwareResolver;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.request.ModelResolver;
import dev.llmplan.request.Options;
import dev.llmplan.request.OptionValues;
import dev.llmplan.request.UserOption;
import dev.llmplan.request.ValueParsers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code llmplan models}: the catalog's models, filtered and sorted. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List catalog models.")
final class ModelsCommand implements Callable<Integer>, OptionBinding.Bound {
    private final Context context;

    @Mixin
    OutputOptions output;

    @Option(names = "--family", paramLabel = "NAME", description = "Only this family (e.g. \"Llama 2\"; case-insensitive).")
    String family;

    @Option(names = "--developer", paramLabel = "NAME", description = "Only this developer (substring, case-insensitive).")
    String developer;

    @Option(names = "--type", paramLabel = "TYPE", description = "decoder, encoder, encoder-decoder or recurrent.")
    String type;

    @Option(names = "--min-params", paramLabel = "SIZE", description = "At least this many parameters (e.g. 7B).")
    String minParams;

    @Option(names = "--max-params", paramLabel = "SIZE", description = "At most this many parameters (e.g. 70B).")
    String maxParams;

    @Option(names = "--has-weights", paramLabel = "yes|no", description = "Only models with (yes) or without (no) public weights.")
    String hasWeights;

    @Option(names = "--fits", paramLabel = "HARDWARE", completionCandidates = Candidates.HardwareIds.class,
            description = "Only models that fit this hardware (\"2x rtx-4060-ti-16gb\", dgx-a100, or auto: this machine's GPUs), each with the "
                    + "highest-precision format that fits (down to --quant) and the longest context.")
    String fits;

    private final OptionValues options = new OptionValues();

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "params",
            description = "Sort by params, name, id, released or family (default ${DEFAULT-VALUE}).")
    String sort;

    ModelsCommand(Context context) {
        this.context = context;
    }

    @Override
    public UserOption.Use use() {
        return UserOption.Use.MODELS_FITS;
    }

    @Override
    public OptionValues options() {
        return options;
    }

    @Override
    public Integer call() {
        output.validate();
        Catalog catalog = context.catalogs().get();
        Long min = minParams == null ? null : ParamCount.parse(minParams).value();
        Long max = maxParams == null ? null : ParamCount.parse(maxParams).value();
        Boolean weights = hasWeights == null ? null : ValueParsers.onOff(hasWeights.replace("yes", "on").replace("no", "off"), "--has-weights");
        if (type != null && dev.llmplan.engine.ModelType.fromId(type.toLowerCase(java.util.Locale.ROOT)) == null) {
            throw LlmplanException.invalid("unknown --type '" + type + "': expected decoder, encoder, encoder-decoder or recurrent");
        }
        if (family != null && catalog.models().stream().noneMatch(m -> family.equalsIgnoreCase(m.family()))) {
            java.util.List<String> families = catalog.models().stream().map(ModelSpec::family).filter(java.util.Objects::nonNull)
                    .distinct().toList();
            java.util.List<String> close = dev.llmplan.engine.Names.closestN(family, families, 3, 3);
            throw LlmplanException.badData("unknown --family '" + family + "'"
                    + (close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)"));
        }
        if (min != null && max != null && min > max) {
            throw LlmplanException.invalid("--min-params is above --max-params");
        }
        if (fits != null) {
            return fitting(catalog, filter(catalog, min, max, weights));
        }
        List<ModelSpec> list = filter(catalog, min, max, weights);
        list.sort(comparator(sort));
        output.print(context, new ModelListReport(list));
        return Cli.OK;
    }

    /** --fits: per model, the best format and longest context; a model the workload cannot apply to is skipped with a note. */
    private int fitting(Catalog catalog, List<ModelSpec> models) {
        options.validateValues();
        HardwareResolver hardware = new HardwareResolver(catalog, context.env());
        HardwareSpec hw = hardware.parse(fits, options.nodes(), options.ignoreUsed());
        hardware.notes().forEach(n -> context.err().println("llmplan models: note: " + Options.forCommandLine(n)));
        context.err().flush();
        WeightFormat floor = options.weightFormat();
        PlanOptions plan = options.planOptions();
        if (hw.cpuOnly() && plan.hostRam() == null) {
            throw LlmplanException.invalid("--fits cpu needs {ram}: the host memory the models must fit in");
        }
        ModelResolver drafts = new ModelResolver(catalog, context.env());
        ModelFitFinder.Result result = ModelFitFinder.find(models,
                m -> options.toWorkload(LocalModel.of(m), Math.max(1, hw.gpuCount()), drafts::resolve), hw, plan, floor);
        output.print(context, new ModelFitReport(hw, result));
        return Cli.OK;
    }

    private List<ModelSpec> filter(Catalog catalog, Long min, Long max, Boolean weights) {
        List<ModelSpec> list = new ArrayList<>();
        for (ModelSpec m : catalog.models()) {
            if (family != null && (m.family() == null || !m.family().equalsIgnoreCase(family))) {
                continue;
            }
            if (developer != null && (m.developer() == null
                    || !m.developer().toLowerCase(Locale.ROOT).contains(developer.toLowerCase(Locale.ROOT)))) {
                continue;
            }
            if (type != null && (m.type() == null || !m.type().id().equalsIgnoreCase(type))) {
                continue;
            }
            if (min != null && (!m.hasParameters() || m.parameters() < min)) {
                continue;
            }
            if (max != null && (!m.hasParameters() || m.parameters() > max)) {
                continue;
            }
            if (weights != null && m.openWeights() != weights) {
                continue;
            }
            list.add(m);
        }
        return list;
    }

    static Comparator<ModelSpec> comparator(String key) {
        Comparator<ModelSpec> byId = Comparator.comparing(ModelSpec::id);
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "params", "parameters", "size" -> Comparator.comparing((ModelSpec m) -> m.hasParameters() ? m.parameters() : Long.MAX_VALUE).thenComparing(byId);
            case "name" -> Comparator.comparing((ModelSpec m) -> m.name().toLowerCase(Locale.ROOT)).thenComparing(byId);
            case "id" -> byId;
            case "released", "date" -> Comparator.comparing((ModelSpec m) -> m.released() == null ? "9999" : m.released()).thenComparing(byId);
            case "family" -> Comparator.comparing((ModelSpec m) -> m.family() == null ? "" : m.family()).thenComparing(byId);
            default -> throw LlmplanException.invalid("unknown --sort key '" + key + "': expected params, name, id, released or family");
        };
    }
}
