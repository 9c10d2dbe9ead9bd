package dev.llmplan.engine;

/**
 * Parts a training estimate holds only during a step: ZeRO-3 / FSDP's gathered parameters (released after each
 * module's forward and backward), FSDP's unsharded gradients (reduce-scattered in the backward) and the optimizer
 * step's temporary ({@link OptimizerStep}). Memory measured between
 * steps (torch.cuda.memory_allocated after a step) has neither; DeepSpeed's model-state estimators count the former.
 */
public final class StepTransients {
    private StepTransients() {
    }

    static final String GATHER_LABEL = "ZeRO-3 gather buffer";

    /** The transients summed over the GPUs, as {@link Estimate#component} counts them. */
    public static long bytes(Estimate e) {
        return sum(e, Part.Role.ZERO3_GATHER) + sum(e, Part.Role.FSDP_UNSHARDED) + gradients(e)
                + sum(e, Part.Role.OPTIMIZER_STEP);
    }

    /** FSDP's unsharded gradients, held in the backward only ({@link FsdpUnits}), summed over the GPUs. */
    public static long gradients(Estimate e) {
        return sum(e, Part.Role.FSDP_GRADIENTS);
    }

    /** The parts in {@code role}, summed over the GPUs. */
    static long sum(Estimate e, Part.Role role) {
        long total = 0;
        for (Part p : e.parts()) {
            if (p.role() == role) {
                total += p.perGpu() ? p.bytes().value() * e.workload().gpuCount() : p.bytes().value();
            }
        }
        return total;
    }
}
