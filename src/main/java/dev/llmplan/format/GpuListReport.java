package dev.llmplan.format;

import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.SystemSpec;

import java.util.List;

/** {@code gpus}: catalog GPUs and systems, one row each with per-GPU figures. */
public record GpuListReport(List<Row> rows) implements Rendered {

    /** A single GPU or a system, with the price of the whole row. */
    public record Row(String kind, String id, String name, String vendor, String category, int count, GpuSpec gpu,
                      Double priceUsd) {
        public static Row of(GpuSpec g) {
            return new Row("gpu", g.id(), g.name(), g.vendor(), g.category(), 1, g, g.price().purchaseUsd());
        }

        public static Row of(SystemSpec s) {
            return new Row("system", s.id(), s.name(), s.vendor(), s.gpu().category(), s.count(), s.gpu(),
                    s.price().purchaseUsd());
        }

        public double totalMemoryGiB() {
            return gpu.memoryGiB() * count;
        }
    }

    public record Doc(int schemaVersion, int count, List<Item> gpus) {
    }

    public record Item(String id, String kind, String name, String vendor, String category, String gpu, int count,
                       double memoryGiB, long memoryBytesPerGpu, Double usableMemoryGiB, Double bandwidthGBps,
                       Double fp16Tflops, Double fp8Tflops, Double priceUsd, Double hourlyUsd, String source) {
        static Item of(Row r) {
            GpuSpec g = r.gpu();
            return new Item(r.id(), r.kind(), r.name(), r.vendor(), r.category(), g.id(), r.count(), g.memoryGiB(),
                    g.memory().value(), g.usableMemoryGiB(), unknownAsNull(g.bandwidthGBps()), unknownAsNull(g.fp16Tflops()),
                    g.fp8Tflops(), r.priceUsd(),
                    g.price().hourlyUsd(), g.source());
        }
    }

    /** The catalog stores an unknown figure as 0; JSON says null. */
    private static Double unknownAsNull(double v) {
        return v == 0 ? null : v;
    }

    @Override
    public Doc document() {
        return new Doc(Documents.SCHEMA_VERSION, rows.size(), rows.stream().map(Item::of).toList());
    }

    @Override
    public Table rows(Units units) {
        Table t = new Table("id", "kind", "name", ">GPUs", ">" + units.symbol() + "/GPU", ">GB/s", ">FP16 TFLOPS", ">price USD");
        for (Row r : rows) {
            t.row(r.id(), r.kind(), r.name(), r.count(), fmt(units.of(r.gpu().memory())), fmt(r.gpu().bandwidthGBps()),
                    fmt(r.gpu().fp16Tflops()), r.priceUsd() == null ? "" : Fmt.format("%,.0f", r.priceUsd()));
        }
        return t;
    }

    @Override
    public Styled text(Units units) {
        return rows(units).styled().append(rows.size() + " GPUs and systems\n");
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
