package dev.llmplan.format;

import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.Currency;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.Price;
import dev.llmplan.engine.SystemSpec;

import java.util.List;

/**
 * {@code gpus}: catalog GPUs and systems, one row each with per-GPU figures. A "GPU" is a device as software
 * sees it: a row's count is its devices (2 for one MI250X card, 8 for a DGX), its price the whole row's.
 */
public record GpuListReport(List<Row> rows, Currency currency) implements Rendered {

    public GpuListReport {
        currency = currency == null ? Currency.USD : currency;
    }

    /** In USD. */
    public GpuListReport(List<Row> rows) {
        this(rows, Currency.USD);
    }

    /** A single GPU (card) or a system, with the price of the whole row in the listing's currency. */
    public record Row(String kind, String id, String name, String vendor, String category, int count, GpuSpec gpu,
                      Price.Money price, Price prices) {
        public static Row of(GpuSpec g, Currency c) {
            return new Row("gpu", g.id(), g.name(), g.vendor(), g.category(), g.devicesPerCard(), g, g.price().purchase(c),
                    g.price());
        }

        public static Row of(SystemSpec s, Currency c) {
            return new Row("system", s.id(), s.name(), s.vendor(), s.gpu().category(), s.count() * s.gpu().devicesPerCard(),
                    s.gpu(), s.price().purchase(c), s.price());
        }

        public static Row of(GpuSpec g) {
            return of(g, Currency.USD);
        }

        public static Row of(SystemSpec s) {
            return of(s, Currency.USD);
        }

        /** The row's USD price: the catalog's USD figure, else its yen converted. */
        public Double priceUsd() {
            return prices.purchaseUsd();
        }

        public double totalMemoryGiB() {
            return gpu.memoryGiB() * count;
        }
    }

    public record Doc(int schemaVersion, int count, List<Item> gpus) {
    }

    /**
     * One row. {@code count} is devices, {@code devicesPerCard} how many one card holds; {@code priceUsd} is the
     * USD price (the yen converted when the catalog has only yen) and {@code priceJpy} the catalog's own yen;
     * {@code price} is in {@code currency}, {@code priceConverted} when it came from the other currency.
     */
    public record Item(String id, String kind, String name, String vendor, String category, String gpu, int count,
                       int devicesPerCard, double memoryGiB, long memoryBytesPerGpu, Double usableMemoryGiB,
                       Double bandwidthGBps, Double fp16Tflops, Double fp8Tflops, Double priceUsd, Double priceJpy,
                       Double price, String currency, Boolean priceConverted, Double hourlyUsd, String source) {
        static Item of(Row r, Currency c) {
            GpuSpec g = r.gpu();
            return new Item(r.id(), r.kind(), r.name(), r.vendor(), r.category(), g.id(), r.count(), g.devicesPerCard(),
                    g.memoryGiB(), g.memory().value(), g.usableMemoryGiB(), unknownAsNull(g.bandwidthGBps()),
                    unknownAsNull(g.fp16Tflops()), g.fp8Tflops(), r.priceUsd(), r.prices().jpy(),
                    r.price() == null ? null : r.price().amount(), c.code(),
                    r.price() == null ? null : r.price().converted(), g.price().hourlyUsd(), g.source());
        }
    }

    /** The catalog stores an unknown figure as 0; JSON says null. */
    private static Double unknownAsNull(double v) {
        return v == 0 ? null : v;
    }

    @Override
    public Doc document() {
        return new Doc(Documents.SCHEMA_VERSION, rows.size(), rows.stream().map(r -> Item.of(r, currency)).toList());
    }

    @Override
    public Table rows(Units units) {
        Table t = new Table("id", "kind", "name", ">GPUs", ">" + units.symbol() + "/GPU", ">GB/s", ">FP16 TFLOPS",
                ">price " + currency.code());
        for (Row r : rows) {
            t.row(r.id(), r.kind(), r.name(), r.count(), fmt(units.of(r.gpu().memory())), fmt(r.gpu().bandwidthGBps()),
                    fmt(r.gpu().fp16Tflops()), r.price() == null ? ""
                            : (r.price().converted() ? "≈" : "") + Fmt.format("%,.0f", r.price().amount()));
        }
        return t;
    }

    @Override
    public Styled text(Units units) {
        Styled sb = rows(units).styled().append(rows.size() + " GPUs and systems\n");
        sb.append("(FP16 TFLOPS: dense FP16/BF16 tensor rate with FP32 accumulate, what PyTorch and vLLM run at)\n");
        rows.stream().filter(r -> r.kind().equals("gpu") && r.gpu().devicesPerCard() > 1).forEach(r -> sb.append("(")
                .append(r.id()).append(": one card is ").append(r.gpu().devicesPerCard())
                .append(" devices as software sees them; figures per device, price per card)\n"));
        if (rows.stream().anyMatch(r -> r.price() != null && r.price().converted())) {
            sb.append("(").append(RecommendReport.conversionNote(currency)).append(")\n");
        }
        return sb;
    }

    /** Whole numbers without ".0", others to two decimals; 0 is unknown in the catalog. */
    private static String fmt(double v) {
        if (v == 0) {
            return "?";
        }
        return v == Math.rint(v) ? String.valueOf((long) v) : Fmt.format("%.2f", v)
                .replaceAll("0+$", "");
    }
}
