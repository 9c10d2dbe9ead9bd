package dev.llmplan.format;

import dev.llmplan.engine.ModelSpec;
import dev.llmplan.modelfile.Inspection;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.modelfile.TypeTotal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@code llmplan inspect} found, as one document (JSON / YAML) or tables (table / markdown / CSV). */
public final class InspectReport implements Rendered {
    private final LocalModel model;

    public InspectReport(LocalModel model) {
        this.model = model;
    }

    public record Doc(int schemaVersion, String path, String kind, Summary model, Map<String, Object> architecture,
                      List<TypeRow> tensorTypes, List<FileRow> files, Map<String, Object> metadata, List<String> notes) {
    }

    /** What the files say of the model as a whole; null where they do not say. */
    public record Summary(String name, String family, String type, long parameters, boolean parametersExact,
                          Long weightBytes, long fileBytes, int fileCount, long tensorCount, String nativePrecision,
                          String defaultQuant) {
    }

    public record TypeRow(String type, long tensors, long elements, long bytes) {
    }

    public record FileRow(String path, long bytes) {
    }

    @Override
    public Doc document() {
        Inspection in = model.inspection();
        return new Doc(Documents.SCHEMA_VERSION, model.spec().id(), in.kind(), summary(), Docs.fields(model.spec().arch()),
                in.typeTotals().stream().map(t -> new TypeRow(t.type(), t.tensors(), t.elements(), t.bytes())).toList(),
                in.files().stream().map(f -> new FileRow(f.path(), f.bytes())).toList(),
                new TreeMap<>(in.metadata()), model.notes());
    }

    private Summary summary() {
        ModelSpec s = model.spec();
        Inspection in = model.inspection();
        return new Summary(s.name(), s.family(), s.type() == null ? null : s.type().id(), s.parameters(),
                !in.kind().equals("config"), s.exactWeightBytes(), in.fileBytes(), in.files().size(), in.tensorCount(),
                s.nativePrecision(), model.defaultQuant());
    }

    @Override
    public Styled text(Units units) {
        return new Styled().append(sections(units, ""));
    }

    @Override
    public String markdown(Units units) {
        return sections(units, "## ");
    }

    /** CSV: one field,value table so a script sees everything in one shape. */
    @Override
    public Table rows(Units units) {
        return flat(units);
    }

    private String sections(Units units, String heading) {
        StringBuilder sb = new StringBuilder();
        Table summary = new Table("field", "value");
        summaryRows(units).forEach(r -> summary.row(r[0], r[1]));
        sb.append(heading).append("Model files: ").append(model.spec().id()).append(" (").append(model.inspection().kind())
                .append(")\n").append(heading.isEmpty() ? "" : "\n").append(render(summary, heading)).append('\n');
        Table arch = new Table("field", "value");
        Docs.fields(model.spec().arch()).forEach((k, v) -> arch.row(k, v));
        sb.append(heading).append("Architecture\n").append(heading.isEmpty() ? "" : "\n")
                .append(arch.size() == 0 ? "(unknown)\n" : render(arch, heading)).append('\n');
        if (!model.inspection().typeTotals().isEmpty()) {
            Table types = new Table("type", ">tensors", ">elements", ">bytes", ">" + units.symbol());
            for (TypeTotal t : model.inspection().typeTotals()) {
                types.row(t.type(), t.tensors(), t.elements(), t.bytes(), Units.number(units.of(t.bytes())));
            }
            sb.append(heading).append("Tensors by stored type\n").append(heading.isEmpty() ? "" : "\n")
                    .append(render(types, heading)).append('\n');
        }
        if (!model.inspection().metadata().isEmpty()) {
            Table meta = new Table("key", "value");
            new TreeMap<>(model.inspection().metadata()).forEach(meta::row);
            sb.append(heading).append("Metadata\n").append(heading.isEmpty() ? "" : "\n").append(render(meta, heading)).append('\n');
        }
        if (!model.notes().isEmpty()) {
            sb.append(heading).append("Notes\n").append(heading.isEmpty() ? "" : "\n");
            model.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        return sb.toString();
    }

    /** Aligned text under plain headings, Markdown under "## " headings. */
    private static String render(Table t, String heading) {
        return heading.isEmpty() ? t.text() : t.markdown();
    }

    private List<String[]> summaryRows(Units units) {
        List<String[]> rows = new ArrayList<>();
        Docs.fields(summary()).forEach((k, v) -> {
            String text = String.valueOf(v);
            if ((k.equals("weightBytes") || k.equals("fileBytes")) && v instanceof Long b) {
                text = b + " (" + units.format(b) + ")";
            }
            rows.add(new String[] {k, text});
        });
        return rows;
    }

    private Table flat(Units units) {
        Table t = new Table("field", "value");
        t.row("path", model.spec().id());
        t.row("kind", model.inspection().kind());
        Docs.fieldsWithNulls(summary()).forEach((k, v) -> t.row("model." + k, v));
        Docs.fields(model.spec().arch()).forEach((k, v) -> t.row("architecture." + k, v));
        for (TypeTotal tt : model.inspection().typeTotals()) {
            t.row("tensorTypes." + tt.type() + ".tensors", tt.tensors());
            t.row("tensorTypes." + tt.type() + ".elements", tt.elements());
            t.row("tensorTypes." + tt.type() + ".bytes", tt.bytes());
        }
        for (int i = 0; i < model.inspection().files().size(); i++) {
            Inspection.FileEntry f = model.inspection().files().get(i);
            t.row("files." + i + ".path", f.path());
            t.row("files." + i + ".bytes", f.bytes());
        }
        new TreeMap<>(model.inspection().metadata()).forEach((k, v) -> t.row("metadata." + k, v));
        for (int i = 0; i < model.notes().size(); i++) {
            t.row("notes." + i, model.notes().get(i));
        }
        return t;
    }
}
