package dev.llmplan.format;

import dev.llmplan.engine.LlmplanException;

import java.util.List;
import java.util.Locale;

/** An output format: one class each, registered in {@link #ALL}. */
public interface OutputFormat {
    /** The formats {@code --format} accepts, the default first. */
    List<OutputFormat> ALL = List.of(new TableFormat(), new JsonFormat(), new YamlFormat(), new CsvFormat(),
            new MarkdownFormat());

    String id();

    /** Other names the format answers to. */
    default List<String> aliases() {
        return List.of();
    }

    /** The result in this format; {@code colour} asks for terminal colours where the format has any. */
    String render(Rendered result, Units units, boolean colour);

    /** Whether the format prints one structured document (JSON, YAML) rather than text or rows. */
    default boolean isDocument() {
        return false;
    }

    /** Whether the format prints rows only (CSV, Markdown), so notes and suggestions must go elsewhere. */
    default boolean rowsOnly() {
        return false;
    }

    static OutputFormat parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (OutputFormat f : ALL) {
            if (f.id().equals(t) || f.aliases().contains(t)) {
                return f;
            }
        }
        throw LlmplanException.invalid("unknown format '" + text + "': expected "
                + String.join(", ", ids().subList(0, ALL.size() - 1)) + " or " + ids().get(ALL.size() - 1));
    }

    static List<String> ids() {
        return ALL.stream().map(OutputFormat::id).toList();
    }
}
