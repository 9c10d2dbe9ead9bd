package dev.llmplan.format;

/**
 * A command's result in every view the output formats need. Each result type has one class that
 * implements this; each output format picks the view it prints.
 */
public interface Rendered {
    /** The document JSON and YAML print: typed records, serialised by Jackson. */
    Object document();

    /** Rows for Markdown (human units) and, unless {@link #csv} says otherwise, for CSV. */
    Table rows(Units units);

    /** Rows for CSV: the same rows unless the result has raw numbers for scripts. */
    default Table csv(Units units) {
        return rows(units);
    }

    /** Markdown: the rows as one table unless the result has sections. */
    default String markdown(Units units) {
        return rows(units).markdown();
    }

    /** The human-readable text of the table format, with styled spans. */
    Styled text(Units units);
}
