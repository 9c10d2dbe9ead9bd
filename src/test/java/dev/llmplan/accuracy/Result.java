package dev.llmplan.accuracy;

import java.util.List;

/**
 * One published figure next to llmplan's estimate. {@code independent} marks the figures of the
 * independent test set (reported, not yet held to tolerance); {@code holdout} the tenth of them
 * kept out of calibration. The remaining fields describe the case for the report's groupings;
 * {@code kindKeys} are the error-band keys of its estimate (EstimateKind.keys), most specific first.
 */
record Result(String caseId, int figure, String what, String compare, String measure, double published,
              double estimated, double tolerance, boolean independent, boolean holdout, Comparison.Kind kind,
              String runtime, String mode, String quantFamily, String trainer, Integer prompt, int context,
              int batch, List<String> ignored,
              List<String> kindKeys, Boolean productFits) {

    /** Signed relative error: negative is an under-estimate (a "fits" that may run out of memory). */
    double error() {
        return published == 0 ? estimated - published : (estimated - published) / published;
    }

    boolean ok() {
        return Math.abs(error()) <= tolerance;
    }

    /**
     * For fit verdicts: the run failed where the tool's own verdict, judged with the shipped error band,
     * is "fits" (not merely "tight"): what a user of fit, recommend or check is told.
     */
    boolean unsafeProductVerdict() {
        return kind == Comparison.Kind.OUTCOME && published == 0 && Boolean.TRUE.equals(productFits);
    }

    /** For fit verdicts: the point estimate fits where the run failed. */
    boolean unsafeVerdict() {
        return kind == Comparison.Kind.OUTCOME && published == 0 && estimated == 1;
    }

    /** The set the figure belongs to in the report. */
    String set() {
        return !independent ? "shared validation" : holdout ? "independent hold-back" : "independent calibration";
    }

    /** Source = the first two words of the case id (qwen25-speed, vllm-llmd, litgpt-rt, ...). */
    String source() {
        String[] p = caseId.split("-");
        return p.length < 2 ? caseId : p[0] + "-" + p[1];
    }
}
