package dev.llmplan.accuracy;

import dev.llmplan.catalog.ErrorBandTable;
import dev.llmplan.engine.ErrorBand;
import dev.llmplan.engine.EstimateKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes the signed accuracy report (target/accuracy-report.md): per class and set the median
 * absolute error, the worst over- and under-estimate and the number under-estimated by more than
 * 10%; the worst under-estimates; summaries per source and per runtime x mode x quantisation; the
 * options the engine ignored; then every figure with its signed error.
 */
final class AccuracyReport {
    /** An under-estimate beyond this tells a user "fits" for a run that may not. */
    static final double UNDER_LIMIT = -0.10;

    private AccuracyReport() {
    }

    /** Count, median |error|, median signed error, extremes and the count under by more than 10%. */
    record Stats(int n, double medianAbs, double medianSigned, Result worstOver, Result worstUnder, long under10) {
        static Stats of(List<Result> rs) {
            List<Double> abs = rs.stream().map(r -> Math.abs(r.error())).sorted().toList();
            List<Double> signed = rs.stream().map(Result::error).sorted().toList();
            Result over = rs.stream().filter(r -> r.error() > 0).max(Comparator.comparingDouble(Result::error)).orElse(null);
            Result under = rs.stream().filter(r -> r.error() < 0).min(Comparator.comparingDouble(Result::error)).orElse(null);
            long under10 = rs.stream().filter(r -> r.error() < UNDER_LIMIT).count();
            return new Stats(rs.size(), median(abs), median(signed), over, under, under10);
        }

        static double median(List<Double> sorted) {
            int n = sorted.size();
            if (n == 0) {
                return Double.NaN;
            }
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }
    }

    static void write(Path out, List<Result> results, List<String[]> unreproduced, List<String> errors) throws IOException {
        StringBuilder sb = new StringBuilder("# llmplan accuracy report\n\n");
        sb.append("Signed error = (estimate - published) / published: negative is an under-estimate (llmplan says it\n")
                .append("fits, the run may not). Sets: the shared validation set (held to its tolerances), the independent\n")
                .append("calibration set and the independent hold-back (SHA-256 of the case id = 0 mod 10; never used for\n")
                .append("calibration). Classes: exact = weights and KV-cache sizes, inference peaks, fine-tune peaks.\n\n");
        summary(sb, results);
        bands(sb, results);
        worstUnder(sb, results);
        grouped(sb, "By source (case id prefix)", "source", results, Result::source);
        grouped(sb, "By runtime, mode and quantisation family (peaks only)", "runtime / mode / quant",
                results.stream().filter(r -> r.kind() == Comparison.Kind.INFERENCE || r.kind() == Comparison.Kind.FINETUNE).toList(),
                r -> r.runtime() + " / " + r.mode() + " / " + r.quantFamily());
        notModelled(sb, results);
        if (!errors.isEmpty()) {
            sb.append("## Figures that could not be evaluated\n\n");
            errors.forEach(e -> sb.append("- ").append(e).append('\n'));
            sb.append('\n');
        }
        perCase(sb, results);
        sb.append("\n## Not reproduced\n\n");
        for (String[] u : unreproduced) {
            sb.append("- ").append(u[0]).append(": ").append(u[1]).append('\n');
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString());
        Files.writeString(out.resolveSibling("accuracy-figures.tsv"), tsv(results));
    }

    /** One line per figure with its class and signed error, for analysis outside the report. */
    private static String tsv(List<Result> results) {
        StringBuilder sb = new StringBuilder("set\tclass\tcase\tfigure\tcompares\tmeasure\truntime\tmode\tquant\ttrainer\tpublished\testimated\terror\n");
        for (Result r : results) {
            sb.append(String.join("\t", r.set(), r.kind().name(), r.caseId(), Integer.toString(r.figure()), r.compare(),
                    r.measure(), r.runtime(), r.mode(), r.quantFamily(), String.valueOf(r.trainer()),
                    Double.toString(r.published()), Double.toString(r.estimated()),
                    String.format(Locale.ROOT, "%.4f", r.error()))).append('\n');
        }
        return sb.toString();
    }

    private static void summary(StringBuilder sb, List<Result> results) {
        sb.append("## Summary\n\n");
        sb.append("| set | class | figures | median abs error | median signed | worst over-estimate | worst under-estimate | under by >10% |\n");
        sb.append("|---|---|---:|---:|---:|---|---|---:|\n");
        Map<String, Function<Result, Boolean>> sets = new java.util.LinkedHashMap<>();
        sets.put("calibration (shared + independent)", r -> !r.holdout());
        sets.put("shared validation", r -> !r.independent());
        sets.put("independent calibration", r -> r.independent() && !r.holdout());
        sets.put("independent hold-back", Result::holdout);
        for (var set : sets.entrySet()) {
            for (Comparison.Kind k : List.of(Comparison.Kind.EXACT, Comparison.Kind.INFERENCE, Comparison.Kind.FINETUNE,
                    Comparison.Kind.SPEED, Comparison.Kind.PART)) {
                List<Result> rs = results.stream().filter(r -> set.getValue().apply(r) && r.kind() == k).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                Stats s = Stats.of(rs);
                sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f%% | %+.2f%% | %s | %s | %d (%.0f%%) |%n", set.getKey(),
                        k.label, s.n(), s.medianAbs() * 100, s.medianSigned() * 100, extreme(s.worstOver()),
                        extreme(s.worstUnder()), s.under10(), 100.0 * s.under10() / s.n()));
            }
        }
        sb.append("\nFit verdicts (published \"OOM\" / \"No OOM\" against the point estimate's verdict on the stated card,"
                + " fits or tight counting as fits):\n\n");
        for (var set : sets.entrySet()) {
            List<Result> rs = results.stream().filter(r -> set.getValue().apply(r) && r.kind() == Comparison.Kind.OUTCOME).toList();
            if (!rs.isEmpty()) {
                long wrong = rs.stream().filter(r -> !r.ok()).count();
                List<String> unsafe = rs.stream().filter(Result::unsafeVerdict).map(Result::caseId).toList();
                List<String> told = rs.stream().filter(Result::unsafeProductVerdict).map(Result::caseId).toList();
                sb.append(String.format(Locale.ROOT, "- %s: %d verdicts, %d wrong, %d said \"fits\" for a run that ran out of memory%s;"
                                + " with the error band, %d of those are \"fits\"%s (the rest \"tight\")%n",
                        set.getKey(), rs.size(), wrong, unsafe.size(), unsafe.isEmpty() ? "" : " (" + String.join(", ", unsafe) + ")",
                        told.size(), told.isEmpty() ? "" : " (" + String.join(", ", told) + ")"));
            }
        }
        sb.append('\n');
    }

    /**
     * The error bands the build wrote (ErrorBandWriter, from the calibration peaks) and how many peaks
     * of each set fall inside the band their estimate gets: the hold-back says how the bands do on
     * measurements they were not built from.
     */
    private static void bands(StringBuilder sb, List<Result> results) {
        ErrorBandTable table = ErrorBandTable.builtin();
        sb.append("## Error bands\n\nBands shipped in the jar (5th-95th percentile of measured / estimated - 1 of the "
                + "calibration peaks; a kind with fewer than ").append(ErrorBandTable.MIN_CASES)
                .append(" pools with a coarser one, and a kind with none at all gets the conservative band; a kind at one"
                        + " scale, one-gpu or multi-gpu, is its whole kind widened by that scale's runs when there are"
                        + " 5 or more; estimates are looked up at a scale, on the CPU alone without):\n\n"
                        + "| kind | peaks | band an estimate of this kind gets | from |\n|---|---:|---|---|\n");
        ErrorBandWriter.residuals(results).forEach((key, values) -> {
            ErrorBand b = table.of(EstimateKind.chain(key));
            sb.append(String.format(Locale.ROOT, "| %s | %d | %+.1f%% .. %+.1f%% | %s |%n", key, values.size(),
                    b.low() * 100, b.high() * 100, b.basis()));
        });
        sb.append("\nPeaks whose measured value lies inside the band of their estimate:\n\n");
        for (boolean holdout : List.of(false, true)) {
            List<Result> peaks = results.stream()
                    .filter(r -> r.holdout() == holdout && ErrorBandWriter.PEAKS.contains(r.compare()) && r.estimated() > 0)
                    .toList();
            long inside = peaks.stream().filter(r -> {
                ErrorBand b = table.of(r.kindKeys());
                return r.published() >= r.estimated() * (1 + b.low()) - 1 && r.published() <= r.estimated() * (1 + b.high()) + 1;
            }).count();
            long above = peaks.stream().filter(r -> r.published() > r.estimated() * (1 + table.of(r.kindKeys()).high()) + 1).count();
            sb.append(String.format(Locale.ROOT, "- %s: %d of %d inside (%.0f%%), %d above the high end%n",
                    holdout ? "hold-back" : "calibration", inside, peaks.size(),
                    peaks.isEmpty() ? 0.0 : 100.0 * inside / peaks.size(), above));
        }
        sb.append('\n');
    }

    private static String extreme(Result r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%+.1f%% %s[%d]", r.error() * 100, r.caseId(), r.figure());
    }

    private static void worstUnder(StringBuilder sb, List<Result> results) {
        sb.append("## The 10 worst under-estimates of the independent set (peaks)\n\n");
        sb.append("| case | figure | error | compares | measure | runtime | mode | quant | trainer | prompt | context | batch |\n");
        sb.append("|---|---:|---:|---|---|---|---|---|---|---:|---:|---:|\n");
        results.stream().filter(r -> r.independent() && r.error() < 0
                        && (r.kind() == Comparison.Kind.INFERENCE || r.kind() == Comparison.Kind.FINETUNE))
                .sorted(Comparator.comparingDouble(Result::error)).limit(10)
                .forEach(r -> sb.append(String.format(Locale.ROOT, "| %s | %d | %+.1f%% | %s | %s | %s | %s | %s | %s | %s | %d | %d |%n",
                        r.caseId(), r.figure(), r.error() * 100, r.compare(), r.measure(), r.runtime(), r.mode(),
                        r.quantFamily(), r.trainer(), r.prompt() == null ? "-" : r.prompt(), r.context(), r.batch())));
        sb.append('\n');
    }

    private static void grouped(StringBuilder sb, String title, String column, List<Result> results,
                                Function<Result, String> key) {
        sb.append("## ").append(title).append("\n\n");
        sb.append("| ").append(column)
                .append(" | figures | hold-back | median abs error | median signed | worst under-estimate | under by >10% |\n");
        sb.append("|---|---:|---:|---:|---:|---|---:|\n");
        Map<String, List<Result>> groups = results.stream().filter(r -> r.kind() != Comparison.Kind.OUTCOME)
                .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
        for (var g : groups.entrySet()) {
            Stats s = Stats.of(g.getValue());
            long held = g.getValue().stream().filter(Result::holdout).count();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f%% | %+.2f%% | %s | %d |%n", g.getKey(), s.n(), held,
                    s.medianAbs() * 100, s.medianSigned() * 100, extreme(s.worstUnder()), s.under10()));
        }
        sb.append('\n');
    }

    private static void notModelled(StringBuilder sb, List<Result> results) {
        sb.append("## Settings the engine does not take yet\n\n");
        sb.append("Options stated by the sources and recorded in the mappings, ignored by the engine today (figures carrying each):\n\n");
        Map<String, Long> ignored = new TreeMap<>();
        results.forEach(r -> r.ignored().forEach(k -> ignored.merge(k, 1L, Long::sum)));
        if (ignored.isEmpty()) {
            sb.append("- none\n");
        }
        ignored.forEach((k, n) -> sb.append("- ").append(k).append(": ").append(n).append('\n'));
        sb.append("\nComparisons made against the closest quantity:\n\n");
        Map<String, Long> approx = new TreeMap<>();
        results.stream().filter(r -> Comparison.APPROXIMATED.containsKey(r.compare()))
                .forEach(r -> approx.merge(r.compare(), 1L, Long::sum));
        if (approx.isEmpty()) {
            sb.append("- none\n");
        }
        approx.forEach((k, n) -> sb.append("- ").append(k).append(" (").append(n).append(" figures): ")
                .append(Comparison.APPROXIMATED.get(k)).append('\n'));
        sb.append('\n');
    }

    private static void perCase(StringBuilder sb, List<Result> results) {
        sb.append("## Per figure\n\n");
        sb.append("| set | case | figure | what | compares | measure | published | estimated | error | tolerance |\n");
        sb.append("|---|---|---:|---|---|---|---:|---:|---:|---:|\n");
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(Result::independent).thenComparing(Result::holdout));
        for (Result r : sorted) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %.4g | %.4g | %+.2f%% | %.0f%%%s |%n",
                    r.set(), r.caseId(), r.figure(), r.what().replace("|", "/"), r.compare(), r.measure(), r.published(),
                    r.estimated(), r.error() * 100, r.tolerance() * 100, r.ok() ? "" : " (out)"));
        }
    }
}
