package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * AutoAWQ (casper-hansen/AutoAWQ) serving an AWQ checkpoint with {@code fuse_layers=True}, the default of
 * {@code AutoAWQForCausalLM.from_quantized} and what its examples/benchmark.py asks for. Its fused modules replace
 * transformers' layers, so their memory is AutoAWQ's own, each rule from the release that changed it:
 * <ul>
 * <li>a fused fp16 KV cache pre-allocated for {@code max_seq_len} tokens x the batch (modules/fused/cache.py
 *     WindowedCache): the context is that length;</li>
 * <li>a rotary table per layer in complex64 (modules/fused/attn.py RoPE: {@code precompute_freqs_cis(head_dim,
 *     max_seq_len * 2)}, one position per slot from 0.2.7, commit 419a242) instead of transformers' buffers;</li>
 * <li>before 0.2.7.post3 (PR #656, "Switch to Flash Decoding": flash_attn_func for the prefill) the fused attention is
 *     eager: fp16 scores, their fp32 copy and the fp32 softmax ({@code F.softmax(scores.float())}) alive together,
 *     10 B per score. 0.2.7 to 0.2.7.post2 already ran LlamaLikeBlock's prefill through SDPA (PR #549,
 *     {@code use_sdpa=True}) while Mixtral, MPT, Falcon and the other blocks stayed eager; the profile cannot tell the
 *     block classes apart and prices those releases eager, an over-estimate for LLaMA-like models;</li>
 * <li>before 0.2.0 (PR #330 deleted the sources) {@code fuse_qkv} concatenates every LLaMA-like layer's q, k and v
 *     into a new matrix while the old model, which still references them, lives until the fuser swaps it at the
 *     end (utils/fused_utils.py fuse_qkv; models/llama.py fuse_transformer): the load ends with those copies on the
 *     GPU. Falcon and MPT keep their stored fused query_key_value and copy nothing.</li>
 * </ul>
 * The rest is PyTorch's: the CUDA context, whole layers spread over GPUs by accelerate's device map, and every
 * prompt position's fp32 logits from the causal-LM head (the benchmark calls the model's forward directly).
 */
public record AutoAwqRuntime(RuntimeVersion version) implements PyTorchRuntime {
    static final String SOURCE = "casper-hansen/AutoAWQ awq/modules/fused (attn.py, cache.py), awq/utils/fused_utils.py";
    /** fp16 scores + their fp32 copy + the fp32 softmax output, alive together in the eager fused attention. */
    static final int EAGER_SCORE_BYTES = 2 + 4 + 4;
    /** complex64 rotary factors. */
    static final int COMPLEX64_BYTES = 8;
    /** The release of PR #656 (git tag v0.2.7.post3 contains dfe396a; v0.2.7.post2 does not). */
    static final String FLASH_ATTENTION = "0.2.7.post3";
    static final String ONE_ROTARY_SLOT_PER_POSITION = "0.2.7";
    static final String QKV_SOURCES_DELETED = "0.2.0";
    private static final Set<KvFormat> KV_FORMATS = EnumSet.of(KvFormat.FP16, KvFormat.BF16);

    public AutoAwqRuntime() {
        this(RuntimeVersion.CURRENT);
    }

    @Override
    public Runtime withVersion(RuntimeVersion v) {
        return new AutoAwqRuntime(v);
    }

    @Override
    public String id() {
        return "autoawq";
    }

    @Override
    public List<String> aliases() {
        return List.of("auto_awq");
    }

    @Override
    public void checkWeights(WeightFormat format) {
        if (format.kind() != WeightFormat.Kind.AWQ) {
            throw LlmplanException.invalid("autoawq runs AWQ checkpoints only: use {quant} awq-4bit, or {runtime}"
                    + " transformers for " + format.id());
        }
    }

    /** The fused cache is allocated in fp16 (WindowedCache: torch.zeros(...).half()); bf16 has the same width. */
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
        if (w.flashAttention() != null && w.flashAttention() != flashAttention()) {
            return List.of("autoawq's fused attention is " + (flashAttention() ? "FlashAttention from 0.2.7.post3"
                    : "eager before 0.2.7.post3") + " whatever {flashAttention} says; the estimate follows the version");
        }
        return List.of();
    }

    @Override
    public List<String> assumptions(Workload w) {
        List<String> out = new ArrayList<>();
        out.add("AutoAWQ with fuse_layers=True: the fused fp16 cache is allocated for the whole context at load;"
                + " logits for every prompt position (the model's forward, as its benchmark calls it)");
        if (keepsOldQkv()) {
            out.add("AutoAWQ before 0.2.0: the load ends with every layer's fused q/k/v beside the old ones");
        }
        return out;
    }

    /**
     * The fused cache (modules/fused/cache.py WindowedCache) holds {@code max_seq_len} slots on every layer and rolls
     * only when they are full: a sliding window does not shorten it.
     */
    @Override
    public int slidingLayers(Architecture a, int layers, List<String> assumptions) {
        if (a.slidingLayers(layers) > 0) {
            assumptions.add("AutoAWQ's fused cache does not apply this model's sliding window: it holds the whole context");
        }
        return 0;
    }

    @Override
    public MultiGpuSplit multiGpuSplit() {
        return MultiGpuSplit.LAYERS;
    }

    boolean flashAttention() {
        return !version().before(FLASH_ATTENTION);
    }

    boolean keepsOldQkv() {
        return version().before(QKV_SOURCES_DELETED);
    }

    /**
     * The larger of the load's end (the fused q/k/v copies beside the old ones, before 0.2.0) and the prefill through
     * the fused layers. The copies are a GPU's share of the layers, as accelerate's device map spreads them; replicas
     * ({parallel} dp) would each hold all of them, which this per-GPU part cannot tell.
     */
    @Override
    public Part activations(Architecture a, Workload w, int context) {
        int c = w.format().computeBytes();
        Part prefill = TransformersRuntime.prefill(a, w.serving().prefillTokens(context), w.batch(),
                flashAttention() ? 0 : EAGER_SCORE_BYTES, c, true, SOURCE + " (QuantAttentionFused.forward)");
        int gpus = Math.max(1, w.gpuCount());
        double load = keepsOldQkv() ? fusedQkvCopies(a, w.format()) / gpus : 0;
        if (load <= prefill.bytes().value()) {
            return load > 0 ? Part.perGpu(Component.ACTIVATIONS, prefill.bytes(), Fmt.format("the larger of the load's end"
                    + " (fused q/k/v copies %.2f GiB) and the prefill: %s", load / Bytes.GIB, prefill.formula()), SOURCE)
                    : prefill;
        }
        return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(load), Fmt.format("the larger of the load's end (fused"
                + " q/k/v copies of every layer%s %.2f GiB) and the prefill (%s)", gpus > 1 ? Fmt.format(", a GPU's share"
                + " of %d", gpus) : "", load / Bytes.GIB, prefill.formula()), SOURCE);
    }

    /** The rotary table every fused layer keeps (RoPE.freqs_cis), split with the layers like the weights. */
    @Override
    public List<Part> modelBuffers(ModelSpec model, int context) {
        Architecture a = model.arch();
        if (a.effectiveHeadDim() == null) {
            return List.of();
        }
        int positions = version().before(ONE_ROTARY_SLOT_PER_POSITION) ? 2 * context : context;
        int half = a.effectiveHeadDim() / 2;
        return List.of(Part.split(Component.ACTIVATIONS, Bytes.ofDouble((double) a.cachingLayers() * positions * half
                        * COMPLEX64_BYTES), Fmt.format("rotary tables %d layers x %d positions x %d x %d B (complex64)",
                        a.cachingLayers(), positions, half, COMPLEX64_BYTES), SOURCE + " (RoPE: precompute_freqs_cis)"));
    }

    /**
     * Bytes of the fused q/k/v matrices {@code fuse_qkv} builds for every LLaMA-like (gated-MLP) layer: the layers'
     * q, k and v in the format's bits (packed weights, scales and zero points concatenated as they are).
     */
    static double fusedQkvCopies(Architecture a, WeightFormat format) {
        if (!a.gatedMlp() || !TensorInventory.derivable(a)) {
            return 0;
        }
        TensorInventory inv = TensorInventory.of(a, ModelType.DECODER);
        double bytes = 0;
        for (Tensor t : inv.tensors()) {
            if (t.role() == TensorRole.ATTN_Q || t.role() == TensorRole.ATTN_K || t.role() == TensorRole.ATTN_V) {
                bytes += format.bytesFor(t, inv, a);
            }
        }
        return bytes;
    }
}
