package dev.llmplan.engine;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * llama.cpp (and Ollama on top of it): GGUF weights, a compute buffer sized per micro-batch, the
 * token embedding kept in host memory, whole layers per GPU (--tensor-split).
 */
public record LlamaCppRuntime(RuntimeVersion version) implements Runtime {
    /** Ollama budgets 457 MiB of CUDA overhead per GPU for llama.cpp (ollama llm/memory.go, gpu overhead). */
    public static final long CUDA_OVERHEAD_BYTES = 457L * Bytes.MIB;

    /** llama.cpp's default physical micro-batch (n_ubatch = 512, common/common.h). */
    public static final int N_UBATCH = 512;

    public LlamaCppRuntime() {
        this(RuntimeVersion.CURRENT);
    }

    @Override
    public Runtime withVersion(RuntimeVersion v) {
        return new LlamaCppRuntime(v);
    }

    @Override
    public String id() {
        return "llama.cpp";
    }

    @Override
    public List<String> aliases() {
        return List.of("llama_cpp", "ollama", "gguf");
    }

    @Override
    public boolean runsByDefault(WeightFormat format) {
        return format.isGguf();
    }

    @Override
    public void checkWeights(WeightFormat format) {
        if (!format.isGguf() && format.kind() != WeightFormat.Kind.FLOAT) {
            throw LlmplanException.invalid("llama.cpp runs GGUF formats: use a GGUF {quant} such as q4_k_m, or another {runtime}");
        }
    }

    /** 16/32-bit and the ggml block types llama.cpp's --cache-type-k/-v accept. */
    private static final Set<KvFormat> KV_FORMATS = EnumSet.of(KvFormat.FP32, KvFormat.FP16, KvFormat.BF16,
            KvFormat.Q8_0, KvFormat.Q5_1, KvFormat.Q5_0, KvFormat.Q4_1, KvFormat.Q4_0, KvFormat.IQ4_NL);

    @Override
    public boolean supportsKv(KvFormat kv) {
        return KV_FORMATS.contains(kv);
    }

    @Override
    public boolean trains() {
        return false;
    }

    /**
     * A quantised V cache needs flash attention: llama.cpp refuses to create the context otherwise
     * ("V cache quantization requires flash_attn", src/llama-context.cpp).
     */
    @Override
    public List<String> warnings(Workload w) {
        KvFormat kv = w.kvFormat();
        boolean quantised = kv != null && kv.bits() < 16 && kv != KvFormat.FP8;
        if (quantised && Boolean.FALSE.equals(w.flashAttention())) {
            return List.of("a " + kv.id() + " KV cache with {flashAttention} off: llama.cpp refuses a quantised V cache"
                    + " without flash attention ('V cache quantization requires flash_attn'); turn it on, or use an fp16 {kvCache}");
        }
        return List.of();
    }

    @Override
    public long perGpuOverheadBytes() {
        return CUDA_OVERHEAD_BYTES;
    }

    @Override
    public String overheadSource() {
        return "Ollama's 457 MiB CUDA overhead budget for llama.cpp";
    }

    /** The clip compute buffer of one image (images are encoded one at a time, whatever {@code images}). */
    @Override
    public Part visionWorkspace(VisionEncoder v, long images, Workload w) {
        return VisionEncoderModel.ggmlWorkspace(v, InferenceActivations.flash(w));
    }

    /**
     * The compute buffer is sized by ggml-alloc for the worst graph of one micro-batch (n_ubatch =
     * 512): either the attention phase (fp32 KQ scores over the whole KV length for all heads,
     * unless flash attention) with the MLP intermediate, or the output phase (fp32 logits for the
     * micro-batch).
     */

    @Override
    public Part activations(Architecture a, Workload w, int context) {
        boolean flash = InferenceActivations.flash(w);
        long kvTokens = (long) context * w.batch();
        long ub = Math.min(N_UBATCH, kvTokens);
        long width = InferenceActivations.mlpWidth(a);
        long vocab = InferenceActivations.vocab(a);
        double h = a.hidden();
        int heads = a.heads() == null ? 1 : a.heads();
        double scores = flash ? 0 : (double) ub * kvTokens * heads * 4;
        double attentionPhase = scores + ub * (width + 2 * h) * 4;
        double outputPhase = (double) ub * vocab * 4 + ub * h * 4;
        double total = Math.max(attentionPhase, outputPhase);
        String f = Fmt.format("max(attention: %d ubatch x %d kv x %d heads x 4 B%s + %d x (%d + 2 x %.0f) x 4 B, output: %d x %d vocab x 4 B + %d x %.0f x 4 B)",
                ub, kvTokens, heads, flash ? " (0 with flash attention)" : "", ub, width, h, ub, vocab, ub, h);
        return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(total), f,
                "llama.cpp ggml-alloc compute buffer (llama_new_context_with_model)");
    }

    /**
     * The token embedding stays in the CPU buffer even with -ngl 999 (the lookup runs on the CPU):
     * llm_load_tensors "CPU buffer size" in ggml-org/ci logs. A tied head is loaded a second time
     * on the GPU as the output (TENSOR_DUPLICATED in llama-model.cpp), so the GPU keeps those bytes.
     */
    @Override
    public WeightsPlacement placeWeights(double bytes, double tokenEmbeddingBytes, boolean tiedHead) {
        if (tokenEmbeddingBytes <= 0) {
            return WeightsPlacement.onGpu(bytes);
        }
        Part host = Part.split(Component.WEIGHTS, Bytes.ofDouble(tokenEmbeddingBytes),
                "token embedding (llama.cpp keeps it in the CPU buffer)", "llama.cpp llm_load_tensors");
        if (tiedHead) {
            return new WeightsPlacement(bytes, host,
                    "; llama.cpp keeps the token embedding in host memory and a duplicate on the GPU as the tied output head");
        }
        return new WeightsPlacement(bytes - tokenEmbeddingBytes, host, "; token embedding kept in host memory by llama.cpp");
    }

    /**
     * llama.cpp converts Mistral-style models (every layer sliding) as plain Llama and caches the
     * whole context (ggml-org/llama.cpp#3377); only interleaved SWA (Gemma, gpt-oss) is kept.
     */
    @Override
    public int slidingLayers(Architecture a, int layers, List<String> assumptions) {
        int sliding = a.slidingLayers(layers);
        if (sliding == layers && a.slidingWindow() != null) {
            assumptions.add("llama.cpp does not apply this model's sliding window: the KV cache covers the whole context");
            return 0;
        }
        return sliding;
    }

    /**
     * The sliding-window cache also holds one micro-batch, padded to 256 cells
     * (size_swa = GGML_PAD(n_swa + n_ubatch, 256) in src/llama-kv-cache-iswa.cpp).
     */
    @Override
    public int slidingWindowTokens(int window, int context) {
        long padded = (window + (long) N_UBATCH + 255) / 256 * 256;
        return (int) Math.min(context, padded);
    }

    /**
     * Layers past {@code -ngl} and experts under {@code --cpu-moe} stay in CPU buffers and the CPU
     * backend runs their matrix products during decode (ggml-backend scheduler: an op runs where its
     * weights are); only large prompt batches copy them to the GPU.
     */
    @Override
    public boolean runsHostLayersOnCpu() {
        return true;
    }

    /**
     * A prompt batch of at least 32 tokens runs on the GPU even for CPU-resident weights, which are
     * copied over once per micro-batch (ggml-cuda offload_op, min_batch_size 32; n_ubatch 512).
     */
    @Override
    public int tokensPerHostWeightCopy(int promptTokens) {
        return Math.min(promptTokens, N_UBATCH);
    }

    /**
     * The draft context has its own cache types, --cache-type-k-draft / --cache-type-v-draft, f16 unless set
     * (common params speculative.cache_type_k/v; the server copies them into the draft's params).
     */
    @Override
    public KvFormat draftKvFormat(Workload w, KvFormat draftDefault) {
        return KvFormat.FP16;
    }

    /**
     * The server loads the draft as a second model with its own llama_context (common_init_from_params on
     * params_dft), and each context reserves its compute buffer when it is created: the start-up log
     * prints a "compute buffer size" line for the draft context too.
     */
    @Override
    public boolean draftHasOwnComputeBuffer() {
        return true;
    }

    @Override
    public MultiGpuSplit multiGpuSplit() {
        return MultiGpuSplit.LAYERS;
    }
}
