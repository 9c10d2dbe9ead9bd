package dev.llmplan.accuracy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the error bands the tool ships (ErrorBandTable reads them from the jar): run at build time
 * (pom.xml, process-test-classes) over the calibration figures of the accuracy set, never the
 * hold-back. For every kind key of an estimate (EstimateKind.keys: runtime/mode/format, runtime/mode and mode, each
 * also at its scale, one GPU or several) it pools the
 * residuals measured / estimated - 1 of the whole-peak figures and writes their 5th and 95th
 * percentiles (clamped to bracket 0) with the number of figures.
 * <p>Usage: {@code ErrorBandWriter OUTPUT.tsv}
 */
public final class ErrorBandWriter {
    /** Figures that measure a whole peak (what the verdict compares with a card), not one component. */
    static final Set<String> PEAKS = Set.of("total", "perGpuTotal", "peakAllocated", "peakReserved",
            "perGpuPeakAllocated", "perGpuPeakReserved", "peakAllocatedPlusContext", "nonKvPerGpu",
            "weightsPlusActivations", "weightsPlusPytorchContext");
    static final double LOW_PERCENTILE = 0.05;
    static final double HIGH_PERCENTILE = 0.95;

    private ErrorBandWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ErrorBandWriter OUTPUT.tsv");
        }
        Map<String, List<Double>> residuals = residuals(AccuracyCases.run().results());
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, tsv(residuals), StandardCharsets.UTF_8);
        System.out.println("[error bands] " + residuals.size() + " kinds from "
                + residuals.getOrDefault("inference", List.of()).size() + " inference and "
                + (residuals.getOrDefault("train", List.of()).size() + residuals.getOrDefault("lora", List.of()).size()
                + residuals.getOrDefault("qlora", List.of()).size()) + " fine-tune peaks -> " + out);
    }

    /** Residuals (measured / estimated - 1) of the calibration peaks, by every kind key of their estimate. */
    static Map<String, List<Double>> residuals(List<Result> results) {
        Map<String, List<Double>> byKey = new TreeMap<>();
        for (Result r : results) {
            if (r.holdout() || !PEAKS.contains(r.compare()) || r.estimated() <= 0) {
                continue;
            }
            double residual = r.published() / r.estimated() - 1;
            for (String key : r.kindKeys()) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(residual);
            }
        }
        return byKey;
    }

    static String tsv(Map<String, List<Double>> residuals) {
        StringBuilder sb = new StringBuilder("# kind\tlow\thigh\tcases: 5th and 95th percentile of measured / estimated - 1"
                + " over the accuracy set's calibration peaks (ErrorBandWriter; hold-back excluded)\n");
        residuals.forEach((key, values) -> sb.append(String.format(Locale.ROOT, "%s\t%.4f\t%.4f\t%d%n", key,
                Math.min(0, percentile(values, LOW_PERCENTILE)), Math.max(0, percentile(values, HIGH_PERCENTILE)),
                values.size())));
        return sb.toString();
    }

    /** Linear interpolation between closest ranks (the common "type 7" definition). */
    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double rank = p * (sorted.size() - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.size() - 1);
        return sorted.get(below) + (rank - below) * (sorted.get(above) - sorted.get(below));
    }
}
