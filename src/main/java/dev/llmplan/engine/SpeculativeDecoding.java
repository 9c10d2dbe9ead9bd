package dev.llmplan.engine;

/**
 * The speed-up of speculative decoding (Leviathan, Kalman and Matias 2023, "Fast Inference from
 * Transformers via Speculative Decoding", ICML): with acceptance rate a and k drafted tokens, one target
 * pass yields (1 - a^(k+1)) / (1 - a) tokens on average (their eq. 1), and costs k draft steps plus the
 * target pass, so the walltime improvement is (1 - a^(k+1)) / ((1 - a)(k c + 1)) with c the draft step's
 * cost relative to the target's (their Theorem 3.8).
 */
public final class SpeculativeDecoding {
    private SpeculativeDecoding() {
    }

    /** Expected tokens per target pass: (1 - a^(k+1)) / (1 - a); k + 1 when every token is accepted. */
    public static double expectedTokens(double acceptance, int drafted) {
        if (acceptance >= 1) {
            return drafted + 1;
        }
        return (1 - Math.pow(acceptance, drafted + 1)) / (1 - acceptance);
    }

    /** Decode speed-up: expected tokens / (1 + k x c), c = draft step time / target step time. */
    public static double speedup(double acceptance, int drafted, double costRatio) {
        return expectedTokens(acceptance, drafted) / (1 + drafted * costRatio);
    }
}
