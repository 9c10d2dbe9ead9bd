package dev.llmplan.plan;

/**
 * Efficiencies of the speed model, named and cited; {@code --mfu} overrides both compute
 * utilisations. {@code trainTokens} (null: none) turns step time into total training time.
 */
public record SpeedAssumptions(double bandwidthEfficiency, double prefillMfu, double trainingMfu, Long trainTokens) {
    /**
     * Share of peak memory bandwidth batch-1 decode achieves ("model bandwidth utilisation"):
     * Databricks, "LLM Inference Performance Engineering: Best Practices" (2023) measures about
     * 60% MBU for Llama-2-70B on A100/H100 at small batch sizes.
     */
    public static final double DECODE_BANDWIDTH_EFFICIENCY = 0.6;

    /**
     * Model FLOPs utilisation of a well-tuned large training run: PaLM 540B reached 46.2% MFU on
     * TPU v4 (Chowdhery et al. 2022, Table 3); the survey's LLaMA-65B figure implies about 47% on A100s.
     */
    public static final double TRAINING_MFU = 0.462;

    /**
     * Prefill runs the same dense matrix products as a training forward pass, so it is given the
     * same cited utilisation.
     */
    public static final double PREFILL_MFU = TRAINING_MFU;

    public static final SpeedAssumptions DEFAULTS = new SpeedAssumptions(DECODE_BANDWIDTH_EFFICIENCY, PREFILL_MFU,
            TRAINING_MFU, null);

    public static SpeedAssumptions of(Double mfu, Long trainTokens) {
        double m = mfu == null ? TRAINING_MFU : mfu;
        return new SpeedAssumptions(DECODE_BANDWIDTH_EFFICIENCY, mfu == null ? PREFILL_MFU : m, m, trainTokens);
    }
}
