package dev.llmplan.plan;

/**
 * Efficiencies of the speed model, named and cited; {@code --mfu} overrides both compute
 * utilisations. {@code trainTokens} (null: none) turns step time into total training time.
 * {@code ramBandwidthGBps} is the host memory's theoretical bandwidth, which every CPU-side speed
 * (layers and experts the CPU runs, a CPU-only plan) reads at {@code bandwidthEfficiency}.
 */
public record SpeedAssumptions(double bandwidthEfficiency, double prefillMfu, double trainingMfu, Long trainTokens,
                               double ramBandwidthGBps) {
    /**
     * Dual-channel DDR5-5600, the common desktop of 2024-2025: 2 channels x 64 bit x 5600 MT/s
     * = 2 x 8 B x 5.6e9/s = 89.6 GB/s theoretical (JEDEC JESD79-5 data rate; 64-bit channel per DIMM).
     */
    public static final double DEFAULT_RAM_BANDWIDTH_GBPS = 89.6;

    public SpeedAssumptions(double bandwidthEfficiency, double prefillMfu, double trainingMfu, Long trainTokens) {
        this(bandwidthEfficiency, prefillMfu, trainingMfu, trainTokens, DEFAULT_RAM_BANDWIDTH_GBPS);
    }

    /** Bytes per second the CPU reads host memory at while decoding. */
    public double ramBytesPerSecond() {
        return ramBandwidthGBps * 1e9 * bandwidthEfficiency;
    }

    public SpeedAssumptions withRamBandwidth(Double gbps) {
        return gbps == null ? this : new SpeedAssumptions(bandwidthEfficiency, prefillMfu, trainingMfu, trainTokens, gbps);
    }

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
