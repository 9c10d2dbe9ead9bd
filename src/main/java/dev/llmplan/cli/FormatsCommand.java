package dev.llmplan.cli;

import dev.llmplan.engine.WeightFormat;
import dev.llmplan.format.Documents;
import dev.llmplan.format.OutputFormat;
import dev.llmplan.format.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code llmplan formats}: the weight formats with their real bits and sources. */
@Command(name = "formats", mixinStandardHelpOptions = true, description = "List weight formats (--quant values).")
final class FormatsCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    OutputOptions output;

    FormatsCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        OutputFormat format = output.format();
        if (format == OutputFormat.JSON || format == OutputFormat.YAML) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schemaVersion", Documents.SCHEMA_VERSION);
            doc.put("formats", WeightFormat.all().stream().map(f -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", f.id());
                m.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
                m.put("bitsPerWeight", f.blockBits());
                m.put("description", f.description());
                m.put("source", f.source());
                return m;
            }).toList());
            context.out().print(Documents.render(doc, format));
        } else {
            Table t = new Table("id", "kind", ">bits", "description");
            for (WeightFormat f : WeightFormat.all()) {
                t.row(f.id(), f.kind().name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%.4g", f.blockBits()),
                        f.description());
            }
            context.out().print(t.render(format));
        }
        context.out().flush();
        return Cli.OK;
    }
}
