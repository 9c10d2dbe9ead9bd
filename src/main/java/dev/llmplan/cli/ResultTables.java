package dev.llmplan.cli;

import dev.llmplan.format.FitReport;
import dev.llmplan.format.Table;
import dev.llmplan.format.Units;

/** CSV / Markdown shapes of results: one row per component. */
final class ResultTables {
    private ResultTables() {
    }

    static Table fitComponents(FitReport report, Units u) {
        Table t = new Table("component", "bytes", u.symbol());
        report.estimate().components().forEach((c, b) -> t.row(c.key(), b.value(), Units.number(u.of(b))));
        t.row("total", report.estimate().total().value(), Units.number(u.of(report.estimate().total())));
        return t;
    }
}
