package dev.llmplan.plan;

/**
 * Estimated speed of one placement; a null figure is unknown (a card without a catalog
 * bandwidth or FP16 peak), never guessed. Decode and prefill are aggregate tokens/s over the
 * batch (and replicas); training times are seconds. {@code decodeInVram} is the decode speed the
 * same cards would reach without offload, to state the slowdown.
 */
public record Speed(Double decodeTokensPerS, Double prefillTokensPerS, Double stepSeconds, Double totalSeconds,
                    long tokensPerStep, double flopsPerToken, Double decodeInVram, double utilisation) {
    /** Decode tokens/s of one of {@code sequences} decoded together, or null when unknown. */
    public Double decodePerSequence(int sequences) {
        return decodeTokensPerS == null ? null : decodeTokensPerS / Math.max(1, sequences);
    }

    /** One number to rank by, higher is faster: decode tokens/s for inference, 1/time for training. */
    public Double rankValue(boolean training) {
        if (training) {
            Double t = totalSeconds != null ? totalSeconds : stepSeconds;
            return t == null || t <= 0 ? null : 1.0 / t;
        }
        return decodeTokensPerS;
    }
}
