package dev.llmplan.engine;

/**
 * vLLM pre-allocates gpu_memory_utilization x total memory and gives the KV cache what the
 * weights, the profiled activation peak and non-torch memory leave; it then logs the number of
 * KV blocks (block_size tokens each) and the maximum concurrency for max_model_len
 * (vllm/worker: determine_num_available_blocks, "# GPU blocks", "Maximum concurrency").
 */
public record VllmCapacity(Bytes budget, Bytes kvAvailable, long blocks, long tokens, double maxConcurrency) {

    /** Capacity on one card of {@code cardMemory}, the weights split evenly over the estimate's GPUs. */
    public static VllmCapacity of(Estimate e, Bytes cardMemory) {
        int gpus = e.workload().gpuCount();
        Bytes budget = cardMemory.times(Runtime.VLLM_GPU_MEMORY_UTILIZATION);
        Bytes kvTotal = e.component(Component.KV_CACHE);
        Bytes fixedPerGpu = e.perGpuEven().minusOrZero(kvTotal.times(1.0 / gpus));
        Bytes kvAvailable = budget.minusOrZero(fixedPerGpu);
        long tokensInCache = (long) e.context() * e.workload().batch();
        double kvPerToken = tokensInCache == 0 ? 0 : kvTotal.value() / (double) gpus / tokensInCache;
        long blockBytes = (long) Math.ceil(kvPerToken * Runtime.VLLM_BLOCK_SIZE);
        long blocks = blockBytes == 0 ? 0 : kvAvailable.value() / blockBytes;
        long tokens = blocks * Runtime.VLLM_BLOCK_SIZE;
        return new VllmCapacity(budget, kvAvailable, blocks, tokens, tokens / (double) e.context());
    }
}
