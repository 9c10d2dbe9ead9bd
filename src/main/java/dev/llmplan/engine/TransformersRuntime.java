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

    @Override
    public Part activations(Architecture a, int context, int batch, boolean flash, int computeBytes) {
        return prefill(a, context, batch, flash, computeBytes);
    }

    @Override
    public MultiGpuSplit multiGpuSplit() {
        return MultiGpuSplit.LAYERS;
    }

    /**
     * generate()'s prefill of the whole prompt. Hidden states (4 x b·s·h), the MLP intermediate
     * (gate, up and their product for gated MLPs), eager attention's scores in the compute dtype
     * plus the fp32 softmax copy (modeling_llama eager_attention_forward), and fp32 logits for the
     * last position only (generate's logits_to_keep, transformers >= 4.45).
     */
    static Part prefill(Architecture a, int s, int b, boolean flash, int c) {
        double h = a.hidden();
        int matrices = a.ffnType() == null ? 2 : a.ffnType().matrices();
        long width = InferenceActivations.mlpWidth(a);
        long vocab = InferenceActivations.vocab(a);
        double hiddenStates = 4.0 * b * s * h * c;
        double mlp = (double) b * s * width * matrices * c;
        int heads = a.heads() == null ? 1 : a.heads();
        double attention = flash ? 0 : (double) b * heads * s * s * (c + 4);
        double logits = (double) b * vocab * 4;
        double total = hiddenStates + Math.max(mlp, attention) + logits;
        String f = Fmt.format("hidden 4 x %d x %d x %.0f x %d B + max(MLP %d x %d x %d x %d x %d B, attention %s) + logits %d x %d x 4 B",
                b, s, h, c, b, s, width, matrices, c,
                flash ? "0 (FlashAttention/SDPA)" : Fmt.format("%d x %d heads x %d^2 x %d B", b, heads, s, c + 4),
                b, vocab);
        return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(total), f,
                "transformers modeling_llama (eager_attention_forward, fp32 softmax; logits_to_keep in generate)");
    }
}
