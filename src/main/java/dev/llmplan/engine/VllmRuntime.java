package dev.llmplan.engine;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * vLLM: pre-allocates gpu_memory_utilization of each card, profiles one forward pass for the
 * activation peak and gives the KV cache the rest as fixed-size blocks (PagedAttention); tensor
 * parallel over several GPUs. It runs on PyTorch, so each GPU pays PyTorch's CUDA context.
 */
public record VllmRuntime(RuntimeVersion version) implements Runtime {
    /** vLLM's default --gpu-memory-utilization (vllm/config.py CacheConfig; 0.92 in some recent builds). */
    public static final double GPU_MEMORY_UTILIZATION = 0.9;

    /** vLLM's KV-cache block size in tokens (--block-size default 16). */
    public static final int BLOCK_SIZE = 16;

    /** vLLM's default max_num_seqs: sequences sampled together in the profiling run. */
    public static final int MAX_NUM_SEQS = 256;

    public VllmRuntime() {
        this(RuntimeVersion.CURRENT);
    }

    @Override
    public String id() {
        return "vllm";
    }

    @Override
    public void checkWeights(WeightFormat format) {
        if (format.isGguf()) {
            throw LlmplanException.invalid("GGUF formats run on llama.cpp, not vLLM: use {runtime} llama.cpp or a non-GGUF {quant}");
        }
    }

    /** --kv-cache-dtype: auto (the model's 16-bit dtype) or fp8. */
    private static final Set<KvFormat> KV_FORMATS = EnumSet.of(KvFormat.FP16, KvFormat.BF16, KvFormat.FP8);

    @Override
    public boolean supportsKv(KvFormat kv) {
        return KV_FORMATS.contains(kv);
    }

    @Override
    public boolean trains() {
        return false;
    }

    @Override
    public List<String> warnings(Workload w) {
        return Boolean.FALSE.equals(w.flashAttention())
                ? List.of("vLLM always uses its own paged attention kernels; {flashAttention} off does not change its memory")
                : List.of();
    }

    @Override
    public long perGpuOverheadBytes() {
        return TransformersRuntime.PYTORCH_CUDA_CONTEXT_BYTES;
    }

    @Override
    public String overheadSource() {
        return TransformersRuntime.PYTORCH_CUDA_CONTEXT_SOURCE;
    }

    /** Default gpu_memory_utilization of this version. */
    public double gpuMemoryUtilization() {
        return GPU_MEMORY_UTILIZATION;
    }

    /** Default KV block size in tokens of this version. */
    public int blockSize() {
        return BLOCK_SIZE;
    }

    /**
     * vLLM profiles one forward pass of max_num_batched_tokens = max(max_model_len, 2048) tokens
     * (SchedulerConfig without chunked prefill): per token the fused gate_up output and the
     * activation (3 x intermediate) and three hidden-size buffers, plus the sampler's fp32 logits,
     * probabilities and log-probabilities (softmax and log_softmax in vLLM's Sampler) for
     * max_num_seqs sampled positions.
     */
    @Override
    public Part activations(Architecture a, int context, int batch, boolean flash, int c) {
        long tokens = Math.max(context, 2048);
        long width = InferenceActivations.mlpWidth(a);
        long vocab = InferenceActivations.vocab(a);
        double perToken = (3.0 * width + 3.0 * a.hidden()) * c;
        long sampled = Math.min(tokens, MAX_NUM_SEQS);
        double logits = (double) sampled * vocab * 4 * 3;
        double total = tokens * perToken + logits;
        String f = Fmt.format("%d profiled tokens x (3 x %d MLP + 3 x %d hidden) x %d B + %d sampled x %d vocab x 4 B x 3",
                tokens, width, a.hidden(), c, sampled, vocab);
        return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(total), f,
                "vLLM worker profile_run (max_num_batched_tokens, max_num_seqs = 256)");
    }

    /**
     * MLA's latent is shared by all heads, so tensor parallelism cannot shard it: vLLM keeps the
     * whole latent cache on every rank (vLLM MLA attention backend).
     */
    @Override
    public Part placeKvCache(Part cache, ModelSpec model, int gpuCount) {
        if (model.arch().isMla() && gpuCount > 1) {
            return Part.perGpu(Component.KV_CACHE, cache.bytes(), cache.formula() + " (replicated on every GPU)",
                    cache.source() + "; vLLM MLA backend replicates the latent cache across tensor-parallel ranks");
        }
        return cache;
    }

    @Override
    public MultiGpuSplit multiGpuSplit() {
        return MultiGpuSplit.TENSOR;
    }

    /** vLLM pre-allocates gpu_memory_utilization of the card and stays inside it. */
    @Override
    public double cardCapacity(double usableBytes) {
        return usableBytes * gpuMemoryUtilization();
    }

    @Override
    public Optional<VllmCapacity> kvBlockPool(Estimate e, Bytes cardMemory) {
        if (e.workload().mode() != Mode.INFERENCE) {
            return Optional.empty();
        }
        return Optional.of(VllmCapacity.of(e, cardMemory, gpuMemoryUtilization(), blockSize()));
    }
}
