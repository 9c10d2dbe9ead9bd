package dev.llmplan.format;

/** Comma-separated rows for scripts and spreadsheets. */
final class CsvFormat implements OutputFormat {
    @Override
    public String id() {
        return "csv";
    }

    @Override
    public boolean rowsOnly() {
        return true;
    }

    @Override
    public String render(Rendered result, Units units, boolean colour) {
        return result.csv(units).csv();
    }
}
