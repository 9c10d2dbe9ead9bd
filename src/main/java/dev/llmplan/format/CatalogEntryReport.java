package dev.llmplan.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.SystemSpec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@code catalog show}: one catalog entry, the file it comes from, and every field it has. */
public record CatalogEntryReport(String kind, String file, Object entry) implements Rendered {

    public record Doc(int schemaVersion, String kind, String file, Object entry) {
    }

    public static CatalogEntryReport of(ModelSpec m, String file) {
        return new CatalogEntryReport("model", file, EntryDocuments.ModelEntry.of(m));
    }

    public static CatalogEntryReport of(GpuSpec g, String file) {
        return new CatalogEntryReport("gpu", file, EntryDocuments.GpuEntry.of(g));
    }

    public static CatalogEntryReport of(SystemSpec s, String file) {
        return new CatalogEntryReport("system", file, EntryDocuments.SystemEntry.of(s));
    }

    @Override
    public Doc document() {
        return new Doc(Documents.SCHEMA_VERSION, kind, file, entry);
    }

    /** field,value rows: nested fields dotted (architecture.layers), lists comma-separated. */
    @Override
    public Table rows(Units units) {
        Table t = new Table("field", "value");
        t.row("kind", kind);
        t.row("file", file);
        flatten("", Documents.tree(entry), t);
        return t;
    }

    @Override
    public Styled text(Units units) {
        return rows(units).styled();
    }

    private static void flatten(String prefix, JsonNode value, Table t) {
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), t);
            }
        } else if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(v.asText()));
            t.row(prefix, String.join(", ", items));
        } else {
            t.row(prefix, value.isNull() ? "" : value.asText());
        }
    }
}
