package dev.llmplan.engine;


/**
 * Optimizer state bytes for the trainable parameters (master weights are counted by the caller).
 * State tensors follow the gradient dtype: fp32 in mixed precision and fp32 training, bf16 in
 * pure-bf16 training (torch.optim.AdamW keeps exp_avg / exp_avg_sq like the parameter).
 */
final class OptimizerStates {
    private OptimizerStates() {
    }

    record Result(double bytes, String formula, String source) {
    }

    /**
     * bitsandbytes 8-bit optimizers quantise each state blockwise: 1 byte per value plus one fp32
     * absmax per block of 256 values (bitsandbytes Optimizer2State.init_state, blocksize 256).
     */
    static final double EIGHT_BIT_STATE_BYTES = 1 + 4.0 / 256;

    /**
     * @param params           trainable parameters
     * @param factoredElements Adafactor's row+column statistics summed over the trainable matrices
     *                         plus the full size of vectors; negative when unknown (then one full state)
     */
    static Result compute(TrainingOptions.Optimizer opt, TrainingOptions.Precision precision, long params,
                          long factoredElements) {
        int stateBytes = precision == TrainingOptions.Precision.BF16_PURE ? 2 : 4;
        String n = ParamCount.humanCount(params);
        return switch (opt) {
            case ADAMW -> new Result(2.0 * stateBytes * params,
                    Fmt.format("AdamW m and v: 2 x %d B x %s", stateBytes, n),
                    "Loshchilov & Hutter (AdamW): two moments per parameter");
            case ADAMW_8BIT, PAGED_ADAMW_8BIT -> new Result(2 * EIGHT_BIT_STATE_BYTES * params,
                    Fmt.format("8-bit AdamW m and v: 2 x (1 B + 4 B/256 absmax) x %s%s", n,
                            opt == TrainingOptions.Optimizer.PAGED_ADAMW_8BIT
                                    ? " (paged: may spill to host under pressure; counted on the GPU)" : ""),
                    "Dettmers et al. 2022, 8-bit Optimizers via Block-wise Quantization; QLoRA §2 paged optimizers");
            case SGD -> new Result(0, "plain SGD keeps no state", "torch.optim.SGD (momentum=0)");
            case SGD_MOMENTUM -> new Result((double) stateBytes * params,
                    Fmt.format("SGD momentum buffer: %d B x %s", stateBytes, n), "torch.optim.SGD momentum_buffer");
            case LION -> new Result((double) stateBytes * params,
                    Fmt.format("Lion momentum: %d B x %s", stateBytes, n),
                    "Chen et al. 2023, Symbolic Discovery of Optimization Algorithms (one state)");
            case ADAFACTOR -> factoredElements >= 0
                    ? new Result((double) stateBytes * factoredElements,
                    Fmt.format("Adafactor factored second moment: %s row+column statistics x %d B",
                            ParamCount.humanCount(factoredElements), stateBytes),
                    "Shazeer & Stern 2018 (Adafactor), transformers Adafactor with beta1=None: no first moment")
                    : new Result((double) stateBytes * params,
                    Fmt.format("Adafactor on small adapter matrices: counted as one %d B state x %s (upper bound)",
                            stateBytes, n), "Shazeer & Stern 2018 (Adafactor)");
        };
    }

    /** Adafactor's row + column statistics for a whole model: matrices factored, vectors in full. */
    static long factoredElements(Architecture a, ModelType type) {
        long total = 0;
        for (var layer : LinearModules.of(a, type)) {
            for (LinearModules.Linear l : layer) {
                total += l.count() * (l.dIn() + l.dOut());
            }
            total += 2L * a.hidden();
        }
        long vocab = a.vocab() == null ? 0 : a.vocab();
        total += vocab + a.hidden();
        if (!Boolean.TRUE.equals(a.tiedEmbeddings())) {
            total += vocab + a.hidden();
        }
        return total + a.hidden();
    }
}
