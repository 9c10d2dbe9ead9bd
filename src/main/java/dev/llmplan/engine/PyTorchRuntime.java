package dev.llmplan.engine;

/** A runtime running on PyTorch (transformers, vLLM, AutoAWQ): each GPU pays PyTorch's CUDA context. */
public interface PyTorchRuntime extends Runtime {
    /**
     * CUDA context plus the kernels PyTorch loads on first use: "GPU memory occupied: 1343 MB"
     * measured on a V100 after allocating one tensor (transformers docs, perf_train_gpu_one /
     * model_memory_anatomy). With CUDA lazy loading (12.x) it is smaller; this is the cited upper end.
     */
    long CUDA_CONTEXT_BYTES = 1343L * Bytes.MIB;

    String CUDA_CONTEXT_SOURCE = "transformers docs: 1343 MB occupied after CUDA initialisation (V100)";

    @Override
    default long perGpuOverheadBytes() {
        return CUDA_CONTEXT_BYTES;
    }

    @Override
    default String overheadSource() {
        return CUDA_CONTEXT_SOURCE;
    }
}
