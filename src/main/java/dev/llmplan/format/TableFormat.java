package dev.llmplan.format;

/** Human-readable text (the default), in colour on a colour terminal. */
final class TableFormat implements OutputFormat {
    @Override
    public String id() {
        return "table";
    }

    @Override
    public String render(Rendered result, Units units, boolean colour) {
        Styled text = result.text(units);
        return colour ? text.ansi() : text.plain();
    }
}
