package dev.llmplan.format;

/** One JSON document on stdout. */
final class JsonFormat implements OutputFormat {
    @Override
    public String id() {
        return "json";
    }

    @Override
    public String render(Rendered result, Units units, boolean colour) {
        return Documents.json(result.document()) + "\n";
    }

    @Override
    public boolean isDocument() {
        return true;
    }
}
