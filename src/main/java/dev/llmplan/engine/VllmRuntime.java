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
public record VllmRuntime(RuntimeVersion version) implements PyTorchRuntime {
    /**
     * vLLM's default --gpu-memory-utilization: 0.92 since CUDA-graph memory is profiled inside the
     * budget (v0.21; vllm/config/cache.py, docs "If unspecified, will use the default value of 0.92"),
     * 0.9 before (CacheConfig).
     */
    public static final double GPU_MEMORY_UTILIZATION = 0.92;
    public static final double GPU_MEMORY_UTILIZATION_BEFORE_0_21 = 0.9;
    /** The release that profiles CUDA-graph memory inside the budget and raised the utilisation default. */
    static final String GRAPHS_IN_BUDGET = "0.21";
    /**
     * From 0.17 the profile's peak is the larger of the forward and the sampler's dummy run, not both: the llm-d
     * planner's logs (vLLM 0.17-0.19, 40 models on H100, max_num_seqs 1024) report max_num_seqs x vocabulary x 15.2
     * to 16.2 B whenever that exceeds the forward, from 51k to 262k words, the same at tensor parallel 1, 2 and 4
     * (the forward's MLP is split, the sampler's logits are not). The dummy sampler run applies top-k and top-p,
     * whose native path sorts the fp32 logits: 4 B logits + 4 B sorted values + 8 B int64 indices. 0.15 and 0.16
     * reported 2.5 times as much for the same model (Qwen3-14B), with no mechanism found: priced as before.
     */
    static final String SAMPLER_APART = "0.17";
    static final int SAMPLER_BYTES = 16;

    /**
     * The fused-MoE kernels keep their workspaces in persistent buffers shared by every MoE layer
     * (FusedMoEModularKernel.shared_buffers, "Persistent buffers that are shared across ... layers"), sized for the
     * largest call: workspace13 (M x top-k x max(2I, hidden): the gate_up output, reused for the down output) and
     * workspace2 (M x top-k x I: the activation), I being each expert's intermediate on this tensor-parallel rank and
     * M the tokens of one call, at most VLLM_FUSED_MOE_CHUNK_SIZE (16384 in current releases). Being persistent, they
     * are still allocated when the sampler runs.
     */
    static final int MOE_CHUNK_TOKENS = 16384;

    /** The V1 engine (0.8): chunked prefill always on, so the profile run is max_num_batched_tokens long. */
    static final String V1_ENGINE = "0.8";

    /** vLLM's KV-cache block size in tokens (--block-size default 16). */
    public static final int BLOCK_SIZE = 16;

    /**
     * Default max_num_seqs: 256 (EngineArgs batch defaults for GPUs under 70 GiB and A100s; vLLM picks
     * 1024 on larger cards, which {@code --max-num-seqs 1024} models).
     */
    public static final int MAX_NUM_SEQS = 256;

    /** Default max_num_batched_tokens of the OpenAI server in the V1 engine (EngineArgs.get_batch_defaults). */
    public static final int MAX_NUM_BATCHED_TOKENS = 8192;

    /**
     * Memory outside torch during the profile run (cuBLAS and NCCL workspaces): "non-torch memory"
     * 0.25 GiB on one H100 and about 2.1 GiB per GPU with tensor parallelism (NCCL buffers), in the
     * vLLM 0.19 start-up logs of the llm-d planner's accuracy runs.
     */
    public static final long NON_TORCH_BYTES = 256L * Bytes.MIB;
    public static final long NON_TORCH_TP_BYTES = 2150L * Bytes.MIB;

    /** Each captured CUDA graph's own memory: 6 to 28 MiB per graph in vLLM PR #22897 / #23184 logs; the middle. */
    public static final long BYTES_PER_GRAPH = 17L * Bytes.MIB;
    /** Largest batch captured by default: min(2 x max_num_seqs, 512) (vllm/config/vllm.py _set_cudagraph_sizes). */
    static final int MAX_CAPTURE_SIZE = 512;

    public VllmRuntime() {
        this(RuntimeVersion.CURRENT);
    }

    @Override
    public Runtime withVersion(RuntimeVersion v) {
        return new VllmRuntime(v);
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

    /** The ranks vLLM accepts for max_lora_rank (LoRAConfig MaxLoRARanks, vllm/config/lora.py). */
    static final Set<Integer> LORA_RANKS = Set.of(1, 8, 16, 32, 64, 128, 256, 320, 512);

    @Override
    public List<String> warnings(Workload w) {
        List<String> out = new java.util.ArrayList<>();
        if (Boolean.FALSE.equals(w.flashAttention())) {
            out.add("vLLM always uses its own paged attention kernels; {flashAttention} off does not change its memory");
        }
        Integer rank = w.training().loraRank();
        if (w.serving().loraSlots() != null && rank != null && !LORA_RANKS.contains(rank)) {
            out.add("vLLM's max_lora_rank is one of 1, 8, 16, 32, 64, 128, 256, 320, 512; {loraRank} " + rank
                    + " would be refused (estimated as given)");
        }
        return out;
    }

    /**
     * Automatic prefix caching (on by default in the V1 engine) maps requests with a common prefix to the same
     * KV blocks; it takes no memory of its own: cached blocks are the free blocks of the same pool, evicted
     * when needed (vLLM docs, "Automatic Prefix Caching").
     */
    @Override
    public List<String> assumptions(Workload w) {
        return List.of("vLLM prefix caching shares KV blocks between requests with a common prefix: no extra memory; the"
                + " KV cache is sized for distinct tokens");
    }

    @Override
    public boolean preallocatesLoraSlots() {
        return true;
    }

    /** Default gpu_memory_utilization of this version. */
    public double gpuMemoryUtilization() {
        return version().before(GRAPHS_IN_BUDGET) ? GPU_MEMORY_UTILIZATION_BEFORE_0_21 : GPU_MEMORY_UTILIZATION;
    }

    /** The workload's gpu_memory_utilization, or this version's default. */
    public double gpuMemoryUtilization(Workload w) {
        Double set = w.serving().gpuMemoryUtilization();
        return set != null ? set : gpuMemoryUtilization();
    }

    /** Default KV block size in tokens of this version. */
    public int blockSize() {
        return BLOCK_SIZE;
    }

    /** Tokens of the profile run: max_num_batched_tokens (V1); V0 without chunked prefill used max(max_model_len, 2048). */
    int profileTokens(Workload w, int context) {
        Integer set = w.serving().maxNumBatchedTokens();
        if (set != null) {
            return set;
        }
        return version().before(V1_ENGINE) ? Math.max(context, 2048) : MAX_NUM_BATCHED_TOKENS;
    }

    static int maxNumSeqs(Workload w) {
        return w.serving().maxNumSeqs() != null ? w.serving().maxNumSeqs() : MAX_NUM_SEQS;
    }

    /**
     * The profile run's peak: one forward over the profile tokens (per token the fused gate_up output
     * and the activation, 3 x intermediate, and three hidden-size buffers) and the sampler over the
     * last position of each of min(max_num_seqs, tokens) requests (vLLM gpu_model_runner profile_run and
     * _dummy_sampler_run). From 0.17 ({@link #SAMPLER_APART}) the two run one after the other, the sampler at
     * {@link #SAMPLER_BYTES} per logit, beside the persistent fused-MoE workspace of an MoE model; before, both
     * add, with logits in the model dtype, their fp32 copy and fp32 probabilities (v1/sample/sampler.py).
     */
    @Override
    public Part activations(Architecture a, Workload w, int context) {
        int c = w.format().computeBytes();
        long tokens = profileTokens(w, context);
        long width = InferenceActivations.mlpWidth(a);
        long vocab = InferenceActivations.vocab(a);
        double perToken = (3.0 * width + 3.0 * a.hidden()) * c;
        long sampled = Math.min(tokens, maxNumSeqs(w));
        double forward = tokens * perToken;
        String forwardText = Fmt.format("%d profiled tokens x (3 x %d MLP + 3 x %d hidden) x %d B", tokens, width,
                a.hidden(), c);
        String source = "vLLM profile_run over max_num_batched_tokens (" + MAX_NUM_BATCHED_TOKENS + " by default) and the"
                + " sampler over max_num_seqs (" + MAX_NUM_SEQS + ")";
        if (!version().before(SAMPLER_APART)) {
            double sampler = (double) sampled * vocab * SAMPLER_BYTES;
            double workspace = 0;
            String workspaceText = "";
            if (a.isMoe() && a.expertsPerToken() != null) {
                // The routed experts' intermediates live in the persistent workspace, not in the forward's transients.
                long shared = a.sharedExperts() == null ? 0 : a.sharedExperts();
                long expert = a.expertFfn() != null ? a.expertFfn() : a.ffn() == null ? 4L * a.hidden() : a.ffn();
                forward = tokens * (3.0 * expert * shared + 3.0 * a.hidden()) * c;
                forwardText = Fmt.format("%d profiled tokens x (3 x %d shared-expert MLP + 3 x %d hidden) x %d B", tokens,
                        expert * shared, a.hidden(), c);
                long local = Math.max(1, expert / w.gpuCount());
                long m = Math.min(tokens, MOE_CHUNK_TOKENS);
                workspace = (double) m * a.expertsPerToken() * (Math.max(2 * local, a.hidden()) + local) * c;
                workspaceText = Fmt.format(" + the fused-MoE workspace kept between layers and calls: %d tokens x %d experts"
                                + " x (max(2 x %d, %d) + %d) x %d B = %s", m, a.expertsPerToken(), local, a.hidden(), local, c,
                        Fmt.format("%.2f GiB", workspace / Bytes.GIB));
            }
            return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(Math.max(forward, sampler) + workspace), Fmt.format(
                    "the larger of the forward (%s = %s) and the sampler after it (%d sequences x %d vocab x %d B:"
                            + " fp32 logits, their sorted copy and int64 sort indices = %s)%s", forwardText,
                    Fmt.format("%.2f GiB", forward / Bytes.GIB), sampled, vocab, SAMPLER_BYTES,
                    Fmt.format("%.2f GiB", sampler / Bytes.GIB), workspaceText),
                    source + "; v1/sample/ops/topk_topp_sampler.py (logits.sort for top-k/top-p)"
                            + (workspace > 0 ? "; fused_moe/modular_kernel.py (persistent SharedResizableBuffer workspaces)" : ""));
        }
        double logits = (double) sampled * vocab * (c + 4 + 4);
        String f = forwardText + Fmt.format(" + %d sampled x %d vocab x (%d + 4 + 4) B", sampled, vocab, c);
        return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(forward + logits), f, source);
    }

    /**
     * Inside vLLM's budget besides tensors: non-torch memory (cuBLAS; NCCL with several GPUs) and, from
     * 0.21, the CUDA graphs (off with --enforce-eager). The CUDA context, and the graphs of older
     * versions, live in the share of the card vLLM leaves free.
     */
    @Override
    public List<Part> overheads(ModelSpec model, Workload w) {
        boolean tp = w.gpuCount() > 1;
        long nonTorch = tp ? NON_TORCH_TP_BYTES : NON_TORCH_BYTES;
        Part base = Part.perGpu(Component.OVERHEAD, Bytes.of(nonTorch), Fmt.format("%d MiB per GPU non-torch memory (cuBLAS workspaces%s); the CUDA context stays outside"
                        + " gpu_memory_utilization", nonTorch / Bytes.MIB, tp ? ", NCCL buffers" : ""),
                "vLLM start-up logs, 'non-torch memory' (llm-d planner runs, vLLM 0.19)");
        if (w.serving().enforceEager() || version().before(GRAPHS_IN_BUDGET) || model.arch().hidden() == null) {
            return List.of(base);
        }
        return List.of(base, cudaGraphs(model.arch(), w));
    }

    /**
     * CUDA graphs share one memory pool the size of the largest captured batch's intermediates, plus
     * each graph's own memory; the sizes are 1, 2, 4, then every 8 to 248 and every 16 from 256 up to
     * min(2 x max_num_seqs, 512, max_num_batched_tokens) (vllm/config/vllm.py _set_cudagraph_sizes).
     */
    public Part cudaGraphs(Architecture a, Workload w) {
        int largest = Math.min(Math.min(2 * maxNumSeqs(w), MAX_CAPTURE_SIZE), profileTokens(w, Integer.MAX_VALUE / 2));
        int graphs = 0;
        for (int size : new int[] {1, 2, 4}) {
            graphs += size <= largest ? 1 : 0;
        }
        for (int size = 8; size <= Math.min(largest, 248); size += 8) {
            graphs++;
        }
        for (int size = 256; size <= largest; size += 16) {
            graphs++;
        }
        int c = w.format().computeBytes();
        double pool = largest * (3.0 * InferenceActivations.mlpWidth(a) + 3.0 * a.hidden()) * c;
        double bytes = pool + (double) graphs * BYTES_PER_GRAPH;
        return Part.perGpu(Component.OVERHEAD, Bytes.ofDouble(bytes), Fmt.format("CUDA graphs: %d captured sizes up to %d tokens: pool %d x (3 x %d + 3 x %d) x %d B + %d x %d MiB",
                graphs, largest, largest, InferenceActivations.mlpWidth(a), a.hidden(), c, graphs, BYTES_PER_GRAPH / Bytes.MIB),
                "vLLM CUDA graph capture (memory profiled inside the budget since 0.21; PR #22897/#23184 per-graph sizes);"
                        + " {enforceEager} removes it");
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

    @Override
    public boolean reservesHeadroom() {
        return true;
    }

    /**
     * The KV cache is the block pool, whole blocks by vLLM's arithmetic; the measured band is of the
     * rest (vLLM's logged "non KV cache memory").
     */
    @Override
    public long exactBytes(java.util.Map<Component, Long> parts) {
        return parts.getOrDefault(Component.KV_CACHE, 0L);
    }

    /** vLLM pre-allocates gpu_memory_utilization of the card and stays inside it. */
    @Override
    public double cardCapacity(double usableBytes, Workload w) {
        return usableBytes * gpuMemoryUtilization(w);
    }

    @Override
    public Optional<VllmCapacity> kvBlockPool(Estimate e, Bytes cardMemory) {
        if (e.workload().mode() != Mode.INFERENCE) {
            return Optional.empty();
        }
        return Optional.of(VllmCapacity.of(e, cardMemory, gpuMemoryUtilization(e.workload()), blockSize()));
    }
}
