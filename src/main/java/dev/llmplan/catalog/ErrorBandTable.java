package dev.llmplan.catalog;

import dev.llmplan.engine.ErrorBand;
import dev.llmplan.engine.ErrorBands;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.EstimateKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The error bands built at build time from the validation residuals (error-bands.tsv in the jar,
 * written by the accuracy harness): per kind of estimate, the 5th and 95th percentile of
 * measured / estimated - 1 and the number of measured runs behind them. A kind with fewer than
 * {@link #MIN_CASES} runs pools with a coarser kind; with none, a stated conservative band applies.
 */
public final class ErrorBandTable implements ErrorBands {
    public static final String RESOURCE = "/dev/llmplan/catalog/error-bands.tsv";
    public static final int MIN_CASES = 5;
    /**
     * Where too few measurements exist: -20% / +30%. Its high end, the one the verdict reads, is above every measured
     * kind's (ErrorBandTableTest holds it), so an unmeasured kind never looks safer than a measured one.
     */
    public static final ErrorBand CONSERVATIVE = new ErrorBand(-0.2, 0.3, 0,
            "fewer than " + MIN_CASES + " measured runs of this kind: a conservative band");

    private static volatile ErrorBandTable builtin;

    private final Map<String, ErrorBand> bands;

    ErrorBandTable(Map<String, ErrorBand> bands) {
        this.bands = Map.copyOf(bands);
    }

    /** The kinds the table has a band for. */
    Set<String> kinds() {
        return bands.keySet();
    }

    /** The table in the jar; empty (every kind conservative) when the build did not write one. */
    public static ErrorBandTable builtin() {
        ErrorBandTable t = builtin;
        if (t == null) {
            try (InputStream in = ErrorBandTable.class.getResourceAsStream(RESOURCE)) {
                t = in == null ? new ErrorBandTable(Map.of()) : parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            builtin = t;
        }
        return t;
    }

    /** Lines of kind, low, high, cases (tab-separated); # starts a comment. */
    static ErrorBandTable parse(InputStream in) throws IOException {
        Map<String, ErrorBand> m = new HashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            int cases = Integer.parseInt(f[3]);
            m.put(f[0], new ErrorBand(Double.parseDouble(f[1]), Double.parseDouble(f[2]), cases,
                    cases + " measured runs of " + EstimateKind.describe(f[0])));
        }
        return new ErrorBandTable(m);
    }

    @Override
    public ErrorBand of(Estimate e, int gpus) {
        return of(EstimateKind.keys(e, gpus));
    }

    /**
     * The band of the first kind, most specific first, with enough measured runs, widened (never narrowed) by that
     * kind's runs at the estimate's scale where those are enough too: a kind split by scale has fewer runs behind
     * each percentile, so the split may only add what its own scale shows.
     */
    public ErrorBand of(List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            ErrorBand b = bands.get(key);
            if (EstimateKind.isScaled(key) || b == null || b.cases() < MIN_CASES) {
                continue;
            }
            String pooled = i == 0 ? "" : ", pooled: fewer than " + MIN_CASES + " of " + EstimateKind.describe(keys.get(0));
            ErrorBand atScale = i + 1 < keys.size() && EstimateKind.isScaled(keys.get(i + 1)) ? bands.get(keys.get(i + 1)) : null;
            if (atScale == null || atScale.cases() < MIN_CASES) {
                return new ErrorBand(b.low(), b.high(), b.cases(), b.basis() + pooled);
            }
            return new ErrorBand(Math.min(b.low(), atScale.low()), Math.max(b.high(), atScale.high()), b.cases(),
                    b.basis() + ", " + atScale.cases() + " of them " + EstimateKind.where(keys.get(i + 1)) + pooled);
        }
        return CONSERVATIVE;
    }
}
