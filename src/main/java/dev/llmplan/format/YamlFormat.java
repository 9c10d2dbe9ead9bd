package dev.llmplan.format;

/** The JSON document as YAML. */
final class YamlFormat implements OutputFormat {
    @Override
    public String id() {
        return "yaml";
    }

    @Override
    public String render(Rendered result, Units units, boolean colour) {
        return Documents.yaml(result.document());
    }

    @Override
    public boolean isDocument() {
        return true;
    }
}
