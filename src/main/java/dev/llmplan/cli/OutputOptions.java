package dev.llmplan.cli;

import dev.llmplan.format.OutputFormat;
import dev.llmplan.format.Rendered;
import dev.llmplan.format.Units;
import picocli.CommandLine.Option;

/** --format and --units, shared by every result and list command. */
public final class OutputOptions {
    @Option(names = "--format", completionCandidates = Candidates.Formats.class, paramLabel = "OUTPUT_FORMAT", defaultValue = "table",
            description = "Output format: table, json, yaml, csv or markdown (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--units", completionCandidates = Candidates.UnitNames.class, paramLabel = "UNITS", defaultValue = "gib",
            description = "Units in tables: gib (2^30 bytes, default) or gb (10^9). JSON always has bytes.")
    String units;

    public OutputFormat format() {
        return OutputFormat.parse(format);
    }

    public Units units() {
        return Units.parse(units);
    }

    /** Checks both values now, so a typo is reported before any work is done. */
    void validate() {
        format();
        units();
    }

    /** Prints a result in the chosen format and units, in colour where the context's terminal has it. */
    void print(Context context, Rendered result) {
        context.out().print(format().render(result, units(), context.colour()));
        context.out().flush();
    }
}
