package dev.llmplan.engine;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Hugging Face transformers (PyTorch): generate() in the model's compute dtype, whole layers spread
 * over several GPUs by accelerate's device_map="auto".
 */
public record TransformersRuntime(RuntimeVersion version) implements Runtime {
    /**
     * CUDA context plus the kernels PyTorch loads on first use: "GPU memory occupied: 1343 MB"
     * measured on a V100 after allocating one tensor (transformers docs, perf_train_gpu_one /
     * model_memory_anatomy). With CUDA lazy loading (12.x) it is smaller; this is the cited upper end.
     */
    public static final long PYTORCH_CUDA_CONTEXT_BYTES = 1343L * Bytes.MIB;

    static final String PYTORCH_CUDA_CONTEXT_SOURCE = "transformers docs: 1343 MB occupied after CUDA initialisation (V100)";

    public TransformersRuntime() {
        this(RuntimeVersion.CURRENT);
    }

    @Override
    public Runtime withVersion(RuntimeVersion v) {
        return new TransformersRuntime(v);
    }

    @Override
    public String id() {
        return "transformers";
    }

    @Override
    public List<String> aliases() {
        return List.of("hf", "pytorch");
    }

    @Override
    public boolean runsByDefault(WeightFormat format) {
        return !format.isGguf();
    }

    /** transformers' DynamicCache holds keys and values in the model's float dtype. */
    private static final Set<KvFormat> KV_FORMATS = EnumSet.of(KvFormat.FP32, KvFormat.FP16, KvFormat.BF16);

    @Override
    public boolean supportsKv(KvFormat kv) {
        return KV_FORMATS.contains(kv);
    }

    @Override
    public List<String> warnings(Workload w) {
        return w.format().isGguf()
                ? List.of("transformers dequantises GGUF weights to 16-bit when it loads them; the estimate prices the GGUF sizes")
                : List.of();
    }

    @Override
    public long perGpuOverheadBytes() {
        return PYTORCH_CUDA_CONTEXT_BYTES;
    }

    @Override
    public String overheadSource() {
        return PYTORCH_CUDA_CONTEXT_SOURCE;
    }

    /** transformers computes logits for the last prompt position only from 4.45 (PR #31292, num_logits_to_keep). */
    static final String LAST_POSITION_LOGITS = "4.45";

    /**
     * The larger of generate()'s prefill of the prompt and one decode step at the full context: the
     * step concatenates one layer's keys and values into a new tensor (DynamicCache.update, torch.cat)
     * while the old one is alive, and computes the logits of the new token.
     */
    @Override
    public Part activations(Architecture a, Workload w, int context) {
        int prompt = w.serving().prefillTokens(context);
        int c = w.format().computeBytes();
        Part prefill = prefill(a, prompt, w.batch(), InferenceActivations.flash(w), c, version().before(LAST_POSITION_LOGITS));
        Integer kvHeads = a.effectiveKvHeads() != null ? a.effectiveKvHeads() : a.heads();
        long kvWidth = kvHeads == null || a.effectiveHeadDim() == null ? 0 : (long) kvHeads * a.effectiveHeadDim();
        double step = 2.0 * w.batch() * context * kvWidth * c + (double) w.batch() * InferenceActivations.vocab(a) * (c + 4);
        if (step <= prefill.bytes().value()) {
            return prefill;
        }
        return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(step), Fmt.format("decode step at %d tokens: one layer's K and V concatenated 2 x %d x %d x %d x %d B + logits %d x %d x (%d + 4) B",
                context, w.batch(), context, kvWidth, c, w.batch(), InferenceActivations.vocab(a), c),
                "transformers DynamicCache.update (torch.cat per layer) and generate()'s next-token logits");
    }

    @Override
    public MultiGpuSplit multiGpuSplit() {
        return MultiGpuSplit.LAYERS;
    }

    /**
     * generate()'s prefill of the whole prompt. Hidden states (4 x b·s·h), the MLP intermediate
     * (gate, up and their product for gated MLPs), eager attention's scores in the compute dtype
     * plus the fp32 softmax copy (modeling_llama eager_attention_forward), and the logits in the
     * compute dtype with their fp32 copy (logits.float()): of the last position only from 4.45
     * (generate's logits_to_keep), of every prompt position before ({@code allPositions}).
     */
    static Part prefill(Architecture a, int s, int b, boolean flash, int c, boolean allPositions) {
        double h = a.hidden();
        int matrices = a.ffnType() == null ? 2 : a.ffnType().matrices();
        long width = InferenceActivations.mlpWidth(a);
        long vocab = InferenceActivations.vocab(a);
        double hiddenStates = 4.0 * b * s * h * c;
        double mlp = (double) b * s * width * matrices * c;
        int heads = a.heads() == null ? 1 : a.heads();
        double attention = flash ? 0 : (double) b * heads * s * s * (c + 4);
        double logits = (double) b * (allPositions ? s : 1) * vocab * (c + 4);
        double total = hiddenStates + Math.max(mlp, attention) + logits;
        String f = Fmt.format("hidden 4 x %d x %d x %.0f x %d B + max(MLP %d x %d x %d x %d x %d B, attention %s) + logits %d x %d x %d x (%d + 4) B%s",
                b, s, h, c, b, s, width, matrices, c,
                flash ? "0 (FlashAttention/SDPA)" : Fmt.format("%d x %d heads x %d^2 x %d B", b, heads, s, c + 4),
                b, allPositions ? s : 1, vocab, c, allPositions ? " (every prompt position: transformers before 4.45)" : "");
        return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(total), f,
                "transformers modeling_llama (eager_attention_forward, fp32 softmax; logits.float(); logits_to_keep in generate"
                        + " since 4.45, PR #31292)");
    }
}
