package dev.llmplan.format;

import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.ParamCount;

import java.util.List;

/** {@code models}: catalog models, filtered and sorted. */
public record ModelListReport(List<ModelSpec> models) implements Rendered {

    public record Doc(int schemaVersion, int count, List<EntryDocuments.ModelSummary> models) {
    }

    @Override
    public Doc document() {
        return new Doc(Documents.SCHEMA_VERSION, models.size(), models.stream().map(EntryDocuments.ModelSummary::of).toList());
    }

    @Override
    public Table rows(Units units) {
        Table t = new Table("id", "name", ">params", "type", "family", "developer", "released", ">context", "weights");
        for (ModelSpec m : models) {
            t.row(m.id(), m.name(), m.hasParameters() ? ParamCount.humanCount(m.parameters()) : "?",
                    m.type() == null ? "" : m.type().id(), m.family(), m.developer(), m.released(),
                    m.maxContext(), m.openWeights() ? "open" : "closed");
        }
        return t;
    }

    @Override
    public Styled text(Units units) {
        return rows(units).styled().append(models.size() + " models\n");
    }
}
