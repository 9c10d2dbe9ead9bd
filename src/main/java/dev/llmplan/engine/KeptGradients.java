package dev.llmplan.engine;

/**
 * Gradients a fully sharded run still holds after the training loop's zero_grad. PyTorch FSDP with
 * {@code use_orig_params=True} registers the original parameters, not the FlatParameter, on the module: the Hugging
 * Face Trainer's {@code model.zero_grad()} after each optimizer step sets the original parameters' gradients (views
 * into the flat gradient) to None, while the FlatParameter keeps its sharded {@code .grad} until
 * {@code FlatParamHandle._reset_flat_param_grad_info_if_needed} runs in the next root pre-forward (or pre-backward).
 * accelerate launches FSDP with use_orig_params on unless the config says otherwise ({@code --fsdp_use_orig_params}
 * defaults to "true"). The next forward frees the shard before any activation exists, so the peak is unchanged;
 * memory read between steps (torch.cuda.memory_allocated after the Trainer's train stage) includes it.
 */
public final class KeptGradients {
    private KeptGradients() {
    }

    static final String LABEL = "FSDP gradient shard, kept after zero_grad";

    static final String SOURCE = "pytorch torch/distributed/fsdp/_flat_param.py FlatParamHandle."
            + "_reset_flat_param_grad_info_if_needed, called from _runtime_utils._root_pre_forward; fully_sharded_data_parallel.py"
            + " (no _register_flat_param under use_orig_params); accelerate v1.0.1 commands/launch.py --fsdp_use_orig_params"
            + " default \"true\"; transformers Trainer model.zero_grad() after optimizer.step()";

    /**
     * Whether the sharded gradients outlive zero_grad: PyTorch FSDP ({@code {zero}} fsdp, not DeepSpeed's stage 3) through
     * the Hugging Face Trainer and accelerate (TRL's SFTTrainer is one), the gradients on the GPUs. LitGPT's Fabric
     * loop and Answer.AI's own loop are not priced so.
     */
    static boolean applies(TrainingModel.Settings s) {
        return s.fsdp() && !s.litgpt() && !s.answerai() && !s.offloaded();
    }

    /** The kept gradient shards summed over the GPUs, as {@link Estimate#component} counts them. */
    public static long bytes(Estimate e) {
        return StepTransients.sum(e, Part.Role.KEPT_GRADIENTS);
    }
}
