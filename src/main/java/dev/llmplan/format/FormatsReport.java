package dev.llmplan.format;

import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.WeightFormat;

import java.util.List;
import java.util.Locale;

/** {@code formats}: the weight formats with their real bits per weight and sources. */
public record FormatsReport(List<WeightFormat> formats) implements Rendered {

    public record Doc(int schemaVersion, List<Item> formats) {
    }

    public record Item(String id, String kind, double bitsPerWeight, String description, String source) {
    }

    @Override
    public Doc document() {
        return new Doc(Documents.SCHEMA_VERSION, formats.stream().map(f -> new Item(f.id(),
                f.kind().name().toLowerCase(Locale.ROOT), f.blockBits(), f.description(), f.source())).toList());
    }

    @Override
    public Table rows(Units units) {
        Table t = new Table("id", "kind", ">bits", "description");
        for (WeightFormat f : formats) {
            t.row(f.id(), f.kind().name().toLowerCase(Locale.ROOT), Fmt.format("%.4g", f.blockBits()),
                    f.description());
        }
        return t;
    }

    @Override
    public Styled text(Units units) {
        return rows(units).styled();
    }
}
