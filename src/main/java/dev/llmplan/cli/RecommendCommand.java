package dev.llmplan.cli;

import dev.llmplan.request.ModelResolver;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.Currency;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.engine.Workload;
import dev.llmplan.format.OutputFormat;
import dev.llmplan.format.RecommendReport;
import dev.llmplan.plan.RecommendRequest;
import dev.llmplan.plan.RecommendResult;
import dev.llmplan.plan.Recommender;
import dev.llmplan.plan.SortKey;
import dev.llmplan.plan.SpeedAssumptions;
import dev.llmplan.request.ModelResolver;
import dev.llmplan.request.OptionValues;
import dev.llmplan.request.Options;
import dev.llmplan.request.UserOption;
import dev.llmplan.request.ValueParsers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code llmplan recommend MODEL}: catalog GPU configurations that fit, ranked by cost, speed and headroom. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Rank catalog GPUs and systems (1, 2, 4, 8 per node, more nodes where needed) that fit MODEL.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (also when nothing fits)", "2:usage error", "3:bad data", "4:internal error"})
final class RecommendCommand implements Callable<Integer>, OptionBinding.Bound {
    private final Context context;

    @Parameters(index = "0", paramLabel = "MODEL", completionCandidates = Candidates.ModelIds.class, description = "A catalog id or alias, a size (70B, 8x7B), a model path, or a Hugging Face repository (hf:ORG/NAME, ORG/NAME).")
    String model;

    private final OptionValues options = new OptionValues();

    @Mixin
    OutputOptions output;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "cost",
            description = "cost (default), speed, headroom or gpus; ties fall back to the others.")
    String sort;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Rows to show (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--max-gpus", paramLabel = "N", description = "At most N GPUs in total.")
    Integer maxGpus;

    @Option(names = "--budget", paramLabel = "AMOUNT",
            description = "At most this cost in --currency (purchase, or hourly with --rent).")
    Double budget;

    @Option(names = "--currency", paramLabel = "usd|jpy", defaultValue = "usd", completionCandidates = Candidates.Currencies.class,
            description = "Show, rank and budget costs in usd (default) or jpy. The catalog keeps USD list prices and the "
                    + "survey's yen; an entry priced only in the other currency is converted at 150 JPY/USD and marked ≈.")
    String currency;

    @Option(names = "--vendor", paramLabel = "NAME", description = "Only this vendor: nvidia, amd, intel, apple.")
    String vendor;

    @Option(names = "--consumer-only", description = "Only consumer cards (and Apple silicon).")
    boolean consumerOnly;

    @Option(names = "--datacenter-only", description = "Only datacenter cards and systems.")
    boolean datacenterOnly;

    @Option(names = "--rent", description = "Rank by hourly rental price (times the training time with --train-tokens).")
    boolean rent;

    RecommendCommand(Context context) {
        this.context = context;
    }

    @Override
    public UserOption.Use use() {
        return UserOption.Use.RECOMMEND;
    }

    @Override
    public OptionValues options() {
        return options;
    }

    @Override
    public Integer call() {
        OutputFormat format = output.format();
        output.validate();
        RecommendRequest request = request();
        Catalog catalog = context.catalogs().get();
        if (vendor != null && catalog.gpus().stream().noneMatch(g -> vendor.equalsIgnoreCase(g.vendor()))) {
            throw LlmplanException.invalid("unknown --vendor '" + vendor + "': expected one of "
                    + String.join(", ", catalog.gpus().stream().map(g -> g.vendor()).distinct().sorted().toList()));
        }
        ModelResolver models = new ModelResolver(catalog, context.env());
        LocalModel local = models.resolve(model);
        models.notes().forEach(n -> context.err().println("llmplan recommend: note: " + n));
        Workload w = options.toWorkload(local, 1, models::resolve);
        ModelSpec spec = local.specFor(w.format().id());
        Estimate sample = MemoryEstimator.estimate(spec, w);
        RecommendResult result = Recommender.recommend(spec, w, catalog.gpus(), catalog.systems(), request);
        RecommendReport report = new RecommendReport(sample, result, request.sort().name().toLowerCase(java.util.Locale.ROOT),
                rent, request.speed(), request.currency());
        options.notes().forEach(n -> context.err().println("llmplan recommend: note: " + n));
        output.print(context, report);
        if (format.rowsOnly() && result.rows().isEmpty()) {
            result.suggestions().forEach(s -> context.err().println("llmplan recommend: nothing fits; " + Options.forCommandLine(s)));
        }
        context.out().flush();
        context.err().flush();
        return Cli.OK;
    }

    RecommendRequest request() {
        if (top < 1) {
            throw LlmplanException.invalid("--top must be at least 1, got " + top);
        }
        if (maxGpus != null && maxGpus < 1) {
            throw LlmplanException.invalid("--max-gpus must be at least 1, got " + maxGpus);
        }
        Currency c = Currency.parse(currency);
        if (budget != null && !(budget > 0)) {
            throw LlmplanException.invalid("--budget must be a positive amount of " + c.code() + ", got " + budget);
        }
        if (consumerOnly && datacenterOnly) {
            throw LlmplanException.invalid("--consumer-only and --datacenter-only exclude each other");
        }
        RecommendRequest.Category category = consumerOnly ? RecommendRequest.Category.CONSUMER
                : datacenterOnly ? RecommendRequest.Category.DATACENTER : RecommendRequest.Category.ANY;
        SpeedAssumptions speed = options.speed();
        return new RecommendRequest(SortKey.parse(sort), top, maxGpus, budget, vendor, category, rent,
                options.planOptions(), speed, c);
    }
}
