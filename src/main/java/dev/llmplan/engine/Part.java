package dev.llmplan.engine;

/**
 * One computed piece of memory. {@code perGpu} parts are paid by every GPU (CUDA context,
 * replicated activations); the others are split across GPUs (weights by layer or tensor shards).
 * {@code formula} shows the arithmetic with numbers; {@code source} where it comes from; {@code role} names the
 * parts other code looks for, so that none is found by its text.
 */
public record Part(Component component, Bytes bytes, boolean perGpu, String formula, String source, Role role) {

    /** What a part is to the code that sums or moves it; most parts are {@link #PLAIN}. */
    public enum Role {
        PLAIN,
        /** DeepSpeed ZeRO-3's gathered layer, held only during a step. */
        ZERO3_GATHER,
        /** PyTorch FSDP's unsharded root unit and blocks, held in the backward only. */
        FSDP_UNSHARDED,
        /** FSDP's unsharded gradients before their reduce-scatter, held in the backward only. */
        FSDP_GRADIENTS,
        /** The optimizer step's temporary ({@link OptimizerStep}). */
        OPTIMIZER_STEP,
        /** Gradient shards FSDP keeps after zero_grad ({@link KeptGradients}). */
        KEPT_GRADIENTS,
        /** NCCL's communicator buffers: outside PyTorch's allocator and not the runtime's CUDA reserve. */
        NCCL_BUFFERS,
        /** A speculative draft model's KV cache. */
        DRAFT_KV_CACHE,
        /** A speculative draft model's own compute buffer. */
        DRAFT_COMPUTE_BUFFER
    }

    public Part(Component component, Bytes bytes, boolean perGpu, String formula, String source) {
        this(component, bytes, perGpu, formula, source, Role.PLAIN);
    }

    public static Part split(Component c, Bytes b, String formula, String source) {
        return new Part(c, b, false, formula, source);
    }

    public static Part perGpu(Component c, Bytes b, String formula, String source) {
        return new Part(c, b, true, formula, source);
    }

    /** This part in the given role. */
    public Part as(Role r) {
        return new Part(component, bytes, perGpu, formula, source, r);
    }
}
