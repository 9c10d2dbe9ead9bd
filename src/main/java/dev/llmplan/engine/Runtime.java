package dev.llmplan.engine;

import java.util.Locale;

/**
 * The inference runtime decides the activation / compute-buffer model and the fixed overhead
 * each GPU pays. The constants are named and cited here, not spread through the formulas.
 */
public enum Runtime {
    TRANSFORMERS("transformers"),
    VLLM("vllm"),
    LLAMA_CPP("llama.cpp"),
    GENERIC("generic");

    /**
     * CUDA context plus the kernels PyTorch loads on first use: "GPU memory occupied: 1343 MB"
     * measured on a V100 after allocating one tensor (transformers docs, perf_train_gpu_one /
     * model_memory_anatomy). With CUDA lazy loading (12.x) it is smaller; this is the cited upper end.
     */
    public static final long PYTORCH_CUDA_CONTEXT_BYTES = 1343L * Bytes.MIB;

    /** Ollama budgets 457 MiB of CUDA overhead per GPU for llama.cpp (ollama llm/memory.go, gpu overhead). */
    public static final long LLAMA_CPP_CUDA_OVERHEAD_BYTES = 457L * Bytes.MIB;

    /** No runtime: a plain CUDA context of about 300 MiB (the low end of the figures above). */
    public static final long GENERIC_CUDA_CONTEXT_BYTES = 300L * Bytes.MIB;

    /** vLLM's default --gpu-memory-utilization (vllm/config.py CacheConfig; 0.92 in some recent builds). */
    public static final double VLLM_GPU_MEMORY_UTILIZATION = 0.9;

    /** vLLM's KV-cache block size in tokens (--block-size default 16). */
    public static final int VLLM_BLOCK_SIZE = 16;

    /** vLLM's default max_num_seqs: sequences sampled together in the profiling run. */
    public static final int VLLM_MAX_NUM_SEQS = 256;

    /** llama.cpp's default physical micro-batch (n_ubatch = 512, common/common.h). */
    public static final int LLAMA_CPP_N_UBATCH = 512;

    private final String id;

    Runtime(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Bytes every GPU pays before any model tensor: CUDA context and runtime kernels. */
    public long perGpuOverheadBytes() {
        return switch (this) {
            case TRANSFORMERS, VLLM -> PYTORCH_CUDA_CONTEXT_BYTES;
            case LLAMA_CPP -> LLAMA_CPP_CUDA_OVERHEAD_BYTES;
            case GENERIC -> GENERIC_CUDA_CONTEXT_BYTES;
        };
    }

    public static Runtime parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Runtime r : values()) {
            if (r.id.equals(t) || r.name().toLowerCase(Locale.ROOT).equals(t.replace('-', '_'))
                    || r.id.replace(".", "").equals(t.replace("-", "").replace(".", ""))) {
                return r;
            }
        }
        if (t.equals("hf") || t.equals("pytorch")) {
            return TRANSFORMERS;
        }
        if (t.equals("ollama") || t.equals("gguf")) {
            return LLAMA_CPP;
        }
        throw LlmplanException.invalid("unknown runtime '" + Printable.of(text) + "': expected one of " + ids());
    }

    public static String ids() {
        return Ids.list(values(), Runtime::id);
    }
}
