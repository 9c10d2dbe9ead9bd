package dev.llmplan.cli;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.Currency;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.format.DetectedGpusReport;
import dev.llmplan.format.GpuListReport;
import dev.llmplan.format.GpuListReport.Row;
import dev.llmplan.request.HardwareResolver;
import dev.llmplan.request.LocalGpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code llmplan gpus}: catalog GPUs and systems. */
@Command(name = "gpus", mixinStandardHelpOptions = true,
        description = "List catalog GPUs and systems, or with --detect this machine's GPUs (what --gpu auto plans on).")
final class GpusCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    OutputOptions output;

    @Option(names = "--vendor", paramLabel = "NAME", description = "nvidia, amd, apple or intel.")
    String vendor;

    @Option(names = "--category", paramLabel = "NAME",
            description = "consumer, workstation, datacenter, apple or embedded (Jetson modules).")
    String category;

    @Option(names = "--min-memory", paramLabel = "GIB", description = "At least this much memory per GPU (GiB).")
    Double minMemory;

    @Option(names = "--max-memory", paramLabel = "GIB", description = "At most this much memory per GPU (GiB).")
    Double maxMemory;

    @Option(names = "--no-systems", description = "Leave out systems (DGX, HGX).")
    boolean noSystems;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "memory",
            description = "Sort by memory, bandwidth, tflops, price, name or id (default ${DEFAULT-VALUE}).")
    String sort;

    @Option(names = "--currency", paramLabel = "usd|jpy", defaultValue = "usd", completionCandidates = Candidates.Currencies.class,
            description = "Show prices in usd (default) or jpy: USD list prices and the survey's yen as the catalog keeps "
                    + "them; an entry priced only in the other currency is converted at 150 JPY/USD and marked ≈.")
    String currency;

    @Option(names = "--detect", description = "Show this machine's GPUs (nvidia-smi, rocm-smi, amd-smi or, on Apple "
            + "silicon, sysctl), the catalog GPU each maps to and the memory --gpu auto plans on.")
    boolean detect;

    @Option(names = "--ignore-used", description = "With --detect: plan on each card's whole memory, not only what is free now.")
    boolean ignoreUsed;

    GpusCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        output.validate();
        Catalog catalog = context.catalogs().get();
        if (detect) {
            return detected(catalog);
        }
        if (ignoreUsed) {
            throw LlmplanException.invalid("--ignore-used goes with --detect");
        }
        Currency c = Currency.parse(currency);
        List<Row> rows = new ArrayList<>();
        for (GpuSpec g : catalog.gpus()) {
            rows.add(Row.of(g, c));
        }
        if (!noSystems) {
            for (SystemSpec s : catalog.systems()) {
                rows.add(Row.of(s, c));
            }
        }
        checkFilters(catalog);
        rows.removeIf(r -> vendor != null && !vendor.equalsIgnoreCase(r.vendor()));
        rows.removeIf(r -> category != null && !category.equalsIgnoreCase(r.category()));
        rows.removeIf(r -> minMemory != null && r.gpu().memoryGiB() < minMemory);
        rows.removeIf(r -> maxMemory != null && r.gpu().memoryGiB() > maxMemory);
        rows.sort(comparator(sort));
        output.print(context, new GpuListReport(rows, c));
        return Cli.OK;
    }

    /** --detect: the cards the vendor tools report, as --gpu auto sees them. */
    private int detected(Catalog catalog) {
        HardwareResolver resolver = new HardwareResolver(catalog, context.env());
        List<LocalGpus.Card> cards = resolver.detect(ignoreUsed);
        String label = LocalGpus.hardware(cards, 1).label();
        output.print(context, new DetectedGpusReport(resolver.detection().command(), cards, ignoreUsed, label));
        return Cli.OK;
    }

    /** A filter value that matches nothing the catalog could hold is a typo: say so instead of listing nothing. */
    private void checkFilters(Catalog catalog) {
        java.util.Set<String> vendors = new java.util.TreeSet<>();
        catalog.gpus().forEach(g -> vendors.add(g.vendor()));
        if (vendor != null && !vendors.contains(vendor.toLowerCase(Locale.ROOT))) {
            throw LlmplanException.invalid("unknown --vendor '" + vendor + "': expected one of " + String.join(", ", vendors));
        }
        if (category != null && !java.util.List.of("consumer", "workstation", "datacenter", "apple", "embedded")
                .contains(category.toLowerCase(Locale.ROOT))) {
            throw LlmplanException.invalid("unknown --category '" + category
                    + "': expected consumer, workstation, datacenter, apple or embedded");
        }
        if (minMemory != null && !(minMemory >= 0) || maxMemory != null && !(maxMemory > 0)) {
            throw LlmplanException.invalid("--min-memory and --max-memory are GiB: --min-memory 0 or more, --max-memory above 0");
        }
        if (minMemory != null && maxMemory != null && minMemory > maxMemory) {
            throw LlmplanException.invalid("--min-memory " + minMemory + " is above --max-memory " + maxMemory);
        }
    }

    static Comparator<Row> comparator(String key) {
        Comparator<Row> byId = Comparator.comparing(Row::id);
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "memory" -> Comparator.comparingDouble(Row::totalMemoryGiB).thenComparing(byId);
            case "bandwidth" -> Comparator.comparingDouble((Row r) -> -r.gpu().bandwidthGBps()).thenComparing(byId);
            case "tflops", "compute" -> Comparator.comparingDouble((Row r) -> -r.gpu().fp16Tflops()).thenComparing(byId);
            case "price", "cost" -> Comparator.comparing((Row r) -> r.price() == null ? Double.MAX_VALUE : r.price().amount()).thenComparing(byId);
            case "name" -> Comparator.comparing((Row r) -> r.name().toLowerCase(Locale.ROOT)).thenComparing(byId);
            case "id" -> byId;
            default -> throw LlmplanException.invalid("unknown --sort key '" + key + "': expected memory, bandwidth, tflops, price, name or id");
        };
    }
}
