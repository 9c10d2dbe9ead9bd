package dev.llmplan.format;

import java.util.List;

/** A Markdown table, for pasting into issues and docs. */
final class MarkdownFormat implements OutputFormat {
    @Override
    public String id() {
        return "markdown";
    }

    @Override
    public List<String> aliases() {
        return List.of("md");
    }

    @Override
    public boolean rowsOnly() {
        return true;
    }

    @Override
    public String render(Rendered result, Units units, boolean colour) {
        return result.markdown(units);
    }
}
