package dev.llmplan.cli;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.format.DetectedGpusReport;
import dev.llmplan.format.Documents;
import dev.llmplan.format.OutputFormat;
import dev.llmplan.format.Table;
import dev.llmplan.request.HardwareResolver;
import dev.llmplan.request.LocalGpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    @Option(names = "--category", paramLabel = "NAME", description = "consumer, workstation, datacenter or apple.")
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

    @Option(names = "--detect", description = "Show this machine's GPUs (nvidia-smi, rocm-smi, amd-smi or, on Apple "
            + "silicon, sysctl), the catalog GPU each maps to and the memory --gpu auto plans on.")
    boolean detect;

    @Option(names = "--ignore-used", description = "With --detect: plan on each card's whole memory, not only what is free now.")
    boolean ignoreUsed;

    GpusCommand(Context context) {
        this.context = context;
    }

    /** A row: a single GPU or a system, with per-GPU figures and totals. */
    record Row(String kind, String id, String name, String vendor, String category, int count, GpuSpec gpu, Double priceUsd) {
        double totalMemoryGiB() {
            return gpu.memoryGiB() * count;
        }
    }

    @Override
    public Integer call() {
        OutputFormat format = output.format();
        Catalog catalog = context.catalogs().get();
        if (detect) {
            return detected(catalog, format);
        }
        if (ignoreUsed) {
            throw LlmplanException.invalid("--ignore-used goes with --detect");
        }
        List<Row> rows = new ArrayList<>();
        for (GpuSpec g : catalog.gpus()) {
            rows.add(new Row("gpu", g.id(), g.name(), g.vendor(), g.category(), 1, g, g.price().purchaseUsd()));
        }
        if (!noSystems) {
            for (SystemSpec s : catalog.systems()) {
                rows.add(new Row("system", s.id(), s.name(), s.vendor(), s.gpu().category(), s.count(), s.gpu(),
                        s.price().purchaseUsd()));
            }
        }
        checkFilters(catalog);
        rows.removeIf(r -> vendor != null && !vendor.equalsIgnoreCase(r.vendor()));
        rows.removeIf(r -> category != null && !category.equalsIgnoreCase(r.category()));
        rows.removeIf(r -> minMemory != null && r.gpu().memoryGiB() < minMemory);
        rows.removeIf(r -> maxMemory != null && r.gpu().memoryGiB() > maxMemory);
        rows.sort(comparator(sort));
        if (format == OutputFormat.JSON || format == OutputFormat.YAML) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schemaVersion", Documents.SCHEMA_VERSION);
            doc.put("count", rows.size());
            doc.put("gpus", rows.stream().map(GpusCommand::document).toList());
            context.out().print(Documents.render(doc, format));
        } else {
            Table t = new Table("id", "kind", "name", ">GPUs", ">GiB/GPU", ">GB/s", ">FP16 TFLOPS", ">price USD");
            for (Row r : rows) {
                t.row(r.id(), r.kind(), r.name(), r.count(), fmt(r.gpu().memoryGiB()), fmt(r.gpu().bandwidthGBps()),
                        fmt(r.gpu().fp16Tflops()), r.priceUsd() == null ? "" : String.format(Locale.ROOT, "%,.0f", r.priceUsd()));
            }
            context.out().print(t.render(format));
            if (format == OutputFormat.TABLE) {
                context.out().println(rows.size() + " GPUs and systems");
            }
        }
        context.out().flush();
        return Cli.OK;
    }

    /** --detect: the cards the vendor tools report, as --gpu auto sees them. */
    private int detected(Catalog catalog, OutputFormat format) {
        HardwareResolver resolver = new HardwareResolver(catalog, context.env());
        List<LocalGpus.Card> cards = resolver.detect(ignoreUsed);
        String label = LocalGpus.hardware(cards, 1).label();
        DetectedGpusReport report = new DetectedGpusReport(resolver.detection().command(), cards, ignoreUsed, label);
        switch (format) {
            case JSON, YAML -> context.out().print(Documents.render(report.document(), format));
            case CSV, MARKDOWN -> context.out().print(report.table(output.units()).render(format));
            default -> context.out().print(report.text(output.units()));
        }
        context.out().flush();
        return Cli.OK;
    }

    /** A filter value that matches nothing the catalog could hold is a typo: say so instead of listing nothing. */
    private void checkFilters(Catalog catalog) {
        java.util.Set<String> vendors = new java.util.TreeSet<>();
        catalog.gpus().forEach(g -> vendors.add(g.vendor()));
        if (vendor != null && !vendors.contains(vendor.toLowerCase(Locale.ROOT))) {
            throw LlmplanException.invalid("unknown --vendor '" + vendor + "': expected one of " + String.join(", ", vendors));
        }
        if (category != null && !java.util.List.of("consumer", "workstation", "datacenter", "apple")
                .contains(category.toLowerCase(Locale.ROOT))) {
            throw LlmplanException.invalid("unknown --category '" + category + "': expected consumer, workstation, datacenter or apple");
        }
        if (minMemory != null && !(minMemory >= 0) || maxMemory != null && !(maxMemory > 0)) {
            throw LlmplanException.invalid("--min-memory and --max-memory are GiB: --min-memory 0 or more, --max-memory above 0");
        }
        if (minMemory != null && maxMemory != null && minMemory > maxMemory) {
            throw LlmplanException.invalid("--min-memory " + minMemory + " is above --max-memory " + maxMemory);
        }
    }

    private static String fmt(double v) {
        return v == 0 ? "?" : v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    static Comparator<Row> comparator(String key) {
        Comparator<Row> byId = Comparator.comparing(Row::id);
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "memory" -> Comparator.comparingDouble(Row::totalMemoryGiB).thenComparing(byId);
            case "bandwidth" -> Comparator.comparingDouble((Row r) -> -r.gpu().bandwidthGBps()).thenComparing(byId);
            case "tflops", "compute" -> Comparator.comparingDouble((Row r) -> -r.gpu().fp16Tflops()).thenComparing(byId);
            case "price", "cost" -> Comparator.comparing((Row r) -> r.priceUsd() == null ? Double.MAX_VALUE : r.priceUsd()).thenComparing(byId);
            case "name" -> Comparator.comparing((Row r) -> r.name().toLowerCase(Locale.ROOT)).thenComparing(byId);
            case "id" -> byId;
            default -> throw LlmplanException.invalid("unknown --sort key '" + key + "': expected memory, bandwidth, tflops, price, name or id");
        };
    }

    static Map<String, Object> document(Row r) {
        GpuSpec g = r.gpu();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", r.id());
        d.put("kind", r.kind());
        d.put("name", r.name());
        d.put("vendor", r.vendor());
        d.put("category", r.category());
        d.put("gpu", g.id());
        d.put("count", r.count());
        d.put("memoryGiB", g.memoryGiB());
        d.put("memoryBytesPerGpu", g.memory().value());
        d.put("usableMemoryGiB", g.usableMemoryGiB());
        d.put("bandwidthGBps", g.bandwidthGBps());
        d.put("fp16Tflops", g.fp16Tflops());
        d.put("fp8Tflops", g.fp8Tflops());
        d.put("priceUsd", r.priceUsd());
        d.put("hourlyUsd", g.price().hourlyUsd());
        d.put("source", g.source());
        return d;
    }
}
