package dev.llmplan.format;

import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.format.Documents;
import dev.llmplan.format.OutputFormat;
import dev.llmplan.format.Table;
import dev.llmplan.format.Units;
import dev.llmplan.modelfile.Inspection;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.modelfile.TypeTotal;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code llmplan inspect} found, as one document (JSON / YAML) or tables (table / markdown / CSV). */
public final class InspectReport {
    private final LocalModel model;

    public InspectReport(LocalModel model) {
        this.model = model;
    }

    Map<String, Object> document() {
        ModelSpec s = model.spec();
        Inspection in = model.inspection();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", Documents.SCHEMA_VERSION);
        doc.put("path", s.id());
        doc.put("kind", in.kind());
        doc.put("model", summary());
        doc.put("architecture", architecture(s.arch()));
        List<Map<String, Object>> types = new ArrayList<>();
        for (TypeTotal t : in.typeTotals()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", t.type());
            m.put("tensors", t.tensors());
            m.put("elements", t.elements());
            m.put("bytes", t.bytes());
            types.add(m);
        }
        doc.put("tensorTypes", types);
        List<Map<String, Object>> files = new ArrayList<>();
        for (Inspection.FileEntry f : in.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.path());
            file.put("bytes", f.bytes());
            files.add(file);
        }
        doc.put("files", files);
        doc.put("metadata", new LinkedHashMap<>(new java.util.TreeMap<>(in.metadata())));
        doc.put("notes", model.notes());
        return doc;
    }

    private Map<String, Object> summary() {
        ModelSpec s = model.spec();
        Inspection in = model.inspection();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("family", s.family());
        m.put("type", s.type() == null ? null : s.type().id());
        m.put("parameters", s.parameters());
        m.put("parametersExact", in.kind().equals("config") ? Boolean.FALSE : Boolean.TRUE);
        m.put("weightBytes", s.exactWeightBytes());
        m.put("fileBytes", in.fileBytes());
        m.put("fileCount", in.files().size());
        m.put("tensorCount", in.tensorCount());
        m.put("nativePrecision", s.nativePrecision());
        m.put("defaultQuant", model.defaultQuant());
        return m;
    }

    /** The architecture's known fields, in record order, enums by their ids. */
    static Map<String, Object> architecture(Architecture a) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : Architecture.class.getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(a);
                if (v instanceof Enum<?> e) {
                    v = e.name().toLowerCase(Locale.ROOT);
                }
                if (v != null) {
                    m.put(c.getName(), v);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    public String render(OutputFormat format, Units units) {
        return switch (format) {
            case JSON, YAML -> Documents.render(document(), format);
            case CSV -> flat(units).render(format);
            case MARKDOWN -> sections(units, "## ", format);
            default -> sections(units, "", format);
        };
    }

    private String sections(Units units, String heading, OutputFormat format) {
        StringBuilder sb = new StringBuilder();
        Table summary = new Table("field", "value");
        summaryRows(units).forEach(r -> summary.row(r[0], r[1]));
        sb.append(heading).append("Model files: ").append(model.spec().id()).append(" (").append(model.inspection().kind())
                .append(")\n").append(heading.isEmpty() ? "" : "\n").append(summary.render(format)).append('\n');
        Table arch = new Table("field", "value");
        architecture(model.spec().arch()).forEach((k, v) -> arch.row(k, v));
        sb.append(heading).append("Architecture\n").append(heading.isEmpty() ? "" : "\n")
                .append(arch.size() == 0 ? "(unknown)\n" : arch.render(format)).append('\n');
        if (!model.inspection().typeTotals().isEmpty()) {
            Table types = new Table("type", ">tensors", ">elements", ">bytes", ">" + units.symbol());
            for (TypeTotal t : model.inspection().typeTotals()) {
                types.row(t.type(), t.tensors(), t.elements(), t.bytes(), Units.number(units.of(t.bytes())));
            }
            sb.append(heading).append("Tensors by stored type\n").append(heading.isEmpty() ? "" : "\n")
                    .append(types.render(format)).append('\n');
        }
        if (!model.inspection().metadata().isEmpty()) {
            Table meta = new Table("key", "value");
            new java.util.TreeMap<>(model.inspection().metadata()).forEach(meta::row);
            sb.append(heading).append("Metadata\n").append(heading.isEmpty() ? "" : "\n").append(meta.render(format)).append('\n');
        }
        if (!model.notes().isEmpty()) {
            sb.append(heading).append("Notes\n").append(heading.isEmpty() ? "" : "\n");
            model.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        }
        return sb.toString();
    }

    private List<String[]> summaryRows(Units units) {
        List<String[]> rows = new ArrayList<>();
        summary().forEach((k, v) -> {
            if (v == null) {
                return;
            }
            String text = String.valueOf(v);
            if ((k.equals("weightBytes") || k.equals("fileBytes")) && v instanceof Long b) {
                text = b + " (" + units.format(b) + ")";
            }
            rows.add(new String[] {k, text});
        });
        return rows;
    }

    /** CSV: one field,value table so a script sees everything in one shape. */
    private Table flat(Units units) {
        Table t = new Table("field", "value");
        t.row("path", model.spec().id());
        t.row("kind", model.inspection().kind());
        summary().forEach((k, v) -> t.row("model." + k, v));
        architecture(model.spec().arch()).forEach((k, v) -> t.row("architecture." + k, v));
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
        new java.util.TreeMap<>(model.inspection().metadata()).forEach((k, v) -> t.row("metadata." + k, v));
        for (int i = 0; i < model.notes().size(); i++) {
            t.row("notes." + i, model.notes().get(i));
        }
        return t;
    }
}
