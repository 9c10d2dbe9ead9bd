package dev.llmplan.cli;

import dev.llmplan.format.OutputFormat;
import dev.llmplan.format.Units;
import picocli.CommandLine.Option;

/** --format and --units, shared by every result and list command. */
public final class OutputOptions {
    @Option(names = "--format", completionCandidates = Candidates.Formats.class, paramLabel = "FORMAT", defaultValue = "table",
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
}
