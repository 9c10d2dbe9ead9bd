package dev.llmplan.cli;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.plan.ByteSize;
import dev.llmplan.plan.PlanOptions;
import dev.llmplan.plan.SpeedAssumptions;
import dev.llmplan.plan.Strategy;
import picocli.CommandLine.Option;

/** Placement and speed options shared by {@code fit}, {@code recommend} and {@code models --fits}. */
public final class PlanningOptions {
    @Option(names = "--ram", paramLabel = "SIZE",
            description = "Host RAM for offloading layers that do not fit on the GPUs (e.g. 64GiB).")
    String ram;

    @Option(names = "--reserve", paramLabel = "SIZE",
            description = "Memory each card keeps for the runtime (default: the runtime's CUDA overhead), e.g. 1GiB.")
    String reserve;

    @Option(names = "--train-tokens", paramLabel = "TOKENS", description = "Training tokens for total time and cost (e.g. 300B, 1.4T).")
    String trainTokens;

    @Option(names = "--mfu", paramLabel = "FRACTION",
            description = "Compute utilisation for prefill and training (default 0.462, PaLM's MFU); 0.3 or 30%%.")
    String mfu;

    PlanOptions plan(String parallel) {
        var hostRam = ram == null ? null : ByteSize.parse(ram, "--ram");
        if (hostRam != null && hostRam.isZero()) {
            throw LlmplanException.usage("--ram must be more than 0; leave it out for no offload");
        }
        return new PlanOptions(parallel == null ? null : Strategy.parse(parallel),
                reserve == null ? null : ByteSize.parse(reserve, "--reserve"), hostRam);
    }

    /** Parses every value now, so a bad one is an error even when it would not be used. */
    void validate(String parallel) {
        plan(parallel);
        speed();
    }

    SpeedAssumptions speed() {
        Long tokens = trainTokens == null ? null : ParamCount.parse(trainTokens).value();
        return SpeedAssumptions.of(mfu == null ? null : fraction(mfu, "--mfu"), tokens);
    }

    /** 0.45, 45% or 45 alike; must end up in (0, 1]. */
    static double fraction(String text, String option) {
        String t = text.trim();
        boolean percent = t.endsWith("%");
        try {
            double v = Double.parseDouble(percent ? t.substring(0, t.length() - 1) : t);
            if (percent || v > 1) {
                v /= 100;
            }
            if (!(v > 0 && v <= 1)) {
                throw LlmplanException.usage(option + " must be between 0 and 1 (or 0% and 100%), got " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw LlmplanException.usage(option + " '" + text + "' is not a number");
        }
    }
}
