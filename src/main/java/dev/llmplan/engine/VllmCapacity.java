package dev.llmplan.engine;

/**
 * vLLM pre-allocates gpu_memory_utilization x total memory and gives the KV cache what the
 * weights, the profiled activation peak and non-torch memory leave; it then logs the number of
 * KV blocks (block_size tokens each) and the maximum concurrency for max_model_len
 * (vllm/worker: determine_num_available_blocks, "# GPU blocks", "Maximum concurrency").
 */
public record VllmCapacity(Bytes budget, Bytes kvAvailable, long blocks, long tokens, double maxConcurrency,
                           double gpuMemoryUtilization, int blockSize, int profiledTokens) {

    /**
     * Capacity on one card of {@code cardMemory}, the weights split evenly over the estimate's GPUs,
     * with the defaults of the estimate's vLLM profile (the current vLLM's for another runtime).
     */
    public static VllmCapacity of(Estimate e, Bytes cardMemory) {
        VllmRuntime vllm = e.runtime() instanceof VllmRuntime v ? v : new VllmRuntime();
        return of(e, cardMemory, vllm.gpuMemoryUtilization(e.workload()), vllm.blockSize());
    }

    static VllmCapacity of(Estimate e, Bytes cardMemory, double gpuMemoryUtilization, int blockSize) {
        int gpus = e.workload().gpuCount();
        Bytes budget = cardMemory.times(gpuMemoryUtilization);
        // A draft model's layers take their share of every block (one KV cache config for both models).
        Bytes kvTotal = e.component(Component.KV_CACHE).plus(DraftModel.kvBytes(e));
        Bytes fixedPerGpu = e.perGpuEven().minusOrZero(kvTotal.times(1.0 / gpus));
        Bytes kvAvailable = budget.minusOrZero(fixedPerGpu);
        // A sequence holds its image tokens besides the text context.
        long perSequence = (long) e.context() + VisionEncoderModel.sequenceTokens(e.model(), e.workload());
        long tokensInCache = perSequence * e.workload().batch();
        double kvPerToken = tokensInCache == 0 ? 0 : kvTotal.value() / (double) gpus / tokensInCache;
        long blockBytes = (long) Math.ceil(kvPerToken * blockSize);
        long blocks = blockBytes == 0 ? 0 : kvAvailable.value() / blockBytes;
        long tokens = blocks * blockSize;
        int profiled = e.runtime() instanceof VllmRuntime v ? v.profileTokens(e.workload(), e.context())
                : VllmRuntime.MAX_NUM_BATCHED_TOKENS;
        return new VllmCapacity(budget, kvAvailable, blocks, tokens, tokens / (double) perSequence, gpuMemoryUtilization,
                blockSize, profiled);
    }

    /** Blocks one sequence of {@code context} tokens takes: whole blocks (PagedAttention allocates by block). */
    public long blocksPerSequence(int context) {
        return (context + (long) blockSize - 1) / blockSize;
    }

    /** The longest sequence each of {@code batch} sequences can have in this pool (whole blocks), 0 if none. */
    public long tokensPerSequence(int batch) {
        return blocks / Math.max(1, batch) * blockSize;
    }

    /** How many sequences of {@code context} tokens the pool holds at once. */
    public long sequences(int context) {
        return blocks / Math.max(1, blocksPerSequence(context));
    }
}
