package dev.llmplan.engine;

/**
 * The optimizer step's own tensors and how a full fine-tune's step meets the activations. torch.optim.AdamW runs its
 * foreach implementation by default on CUDA, whose update (_multi_tensor_adamw) takes torch._foreach_sqrt of every
 * second moment at once: one temporary the size of the states of one moment, alive only during the step, where the
 * training stack uses it ({@link Runtime#adamwStepTemporary}). The step
 * follows the backward, which has freed the activations; the gradients it needs are set to None after it
 * (zero_grad(set_to_none=True)), so without gradient accumulation they are never alive with a forward either.
 */
public final class OptimizerStep {
    private OptimizerStep() {
    }

    static final String LABEL = "AdamW step temporary";

    static final String SOURCE = "torch.optim.AdamW foreach (_multi_tensor_adamw: torch._foreach_sqrt(exp_avg_sqs)); autograd"
            + " frees saved activations in backward; Optimizer.zero_grad(set_to_none=True)";

    /** The step's temporary summed over the GPUs as {@link Estimate#component} counts it (0 when none is priced). */
    public static long bytes(Estimate e) {
        return StepTransients.sum(e, Part.Role.OPTIMIZER_STEP);
    }

    /** The step's temporary on one GPU: one moment of the trainable parameters, sharded as the states are. */
    static double temporaryBytes(TrainingModel.Settings s, long trainable, Runtime runtime) {
        // LitGPT builds torch.optim.AdamW itself (foreach), whatever the transformers release.
        if (s.optimizer() != TrainingOptions.Optimizer.ADAMW || s.offloaded() || !(s.litgpt() || runtime.adamwStepTemporary())) {
            return 0;
        }
        int stateBytes = s.precision() == TrainingOptions.Precision.BF16_PURE ? 2 : 4;
        return (double) trainable * stateBytes / (s.zero() >= 1 ? s.gpus() : 1);
    }
}
