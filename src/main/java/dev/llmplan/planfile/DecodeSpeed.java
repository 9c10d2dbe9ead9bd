package dev.llmplan.planfile;

import dev.llmplan.plan.FitResult;
import dev.llmplan.plan.Speed;
import dev.llmplan.plan.SpeedAssumptions;
import dev.llmplan.plan.SpeedModel;

/**
 * Decode speed for the {@code minDecodeTokensPerSecond} requirement of plan files, from the same
 * speed model as fit and recommend ({@code plan/SpeedModel}): per sequence, at the full context
 * (the slowest point), and for the whole batch.
 */
public final class DecodeSpeed {
    /** The share of peak bandwidth decode reaches: the speed model's cited default. */
    public static final double BANDWIDTH_EFFICIENCY = SpeedAssumptions.DECODE_BANDWIDTH_EFFICIENCY;

    private DecodeSpeed() {
    }

    /** The estimate: per-sequence and aggregate tokens/s at the full context (the slowest point). */
    public record Result(double perSequence, double aggregate, long bytesPerStep) {
    }

    public static Result estimate(FitResult fit) {
        return estimate(fit, SpeedAssumptions.DEFAULTS);
    }

    public static Result estimate(FitResult fit, SpeedAssumptions assumptions) {
        Speed s = SpeedModel.of(fit, assumptions);
        long bytes = (long) SpeedModel.bytesReadPerStep(fit);
        Double total = s.decodeTokensPerS();
        if (total == null || !(total > 0) || !Double.isFinite(total)) {
            return new Result(0, 0, bytes);
        }
        int sequences = fit.estimate().workload().batch() * fit.replicas();
        return new Result(total / sequences, total, bytes);
    }
}
