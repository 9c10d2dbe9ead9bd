package dev.llmplan.engine;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hugging Face transformers (PyTorch): generate() in the model's compute dtype, whole layers spread
 * over several GPUs by accelerate's device_map="auto".
 */
public record TransformersRuntime(RuntimeVersion version) implements PyTorchRuntime {
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

    /** transformers computes logits for the last prompt position only from 4.45 (PR #31292, num_logits_to_keep). */
    static final String LAST_POSITION_LOGITS = "4.45";

    /**
     * generate() keeps one cache object across steps from 4.42 (PR #30536, "Reduce by 2 the memory
     * requirement in generate()"): before, the model returned a new tuple of keys and values each step
     * while generate() still held the previous tuple and the previous step's outputs (logits included).
     */
    static final String ONE_CACHE_OBJECT = "4.42";

    /**
     * bitsandbytes 0.43.2 (PR #1270, 23 July 2024) stopped MatMul4Bit keeping its input; transformers 4.43 came out
     * the same day, so an older transformers is taken with the bitsandbytes of its time, which kept it.
     */
    static final String FOUR_BIT_INPUT_FREED = "4.43";

    @Override
    public boolean fourBitMatmulKeepsInput() {
        return version().before(FOUR_BIT_INPUT_FREED);
    }

    /**
     * The HF Trainer's default optimizer: transformers' own per-parameter AdamW (adamw_hf) until 4.32 (PR #25109 made
     * adamw_torch the default, July 2023), torch.optim.AdamW with its foreach step until PR #37358 (merged July
     * 2025, in 4.54) made the fused kernel the default with PyTorch 2.8; neither adamw_hf nor the fused kernel holds a
     * whole moment's temporary.
     */
    static final String ADAMW_TORCH_DEFAULT = "4.32";
    static final String ADAMW_FUSED_DEFAULT = "4.54";

    @Override
    public boolean adamwStepTemporary() {
        return !version().isCurrent() && !version().before(ADAMW_TORCH_DEFAULT) && version().before(ADAMW_FUSED_DEFAULT);
    }

    /**
     * Mistral's modeling code, which Mixtral, Qwen1.5/Qwen2 (and Qwen2.5 on it) and StarCoder2 copied, gave every
     * attention layer its own rotary module that computed cos and sin for all max_position_embeddings positions at
     * load and kept them as buffers in the load dtype, until Mistral took Llama's on-the-fly rotary embedding with
     * its static-cache rework (PR #30642, May 2024, in 4.42). Qwen's speed benchmark of Qwen2 (a 4.39 fork) shows the
     * 2 x layers x positions x head_dim x 2 B at every prompt length (0.19 GiB for the 0.5B model at prompt 1).
     */
    static final String ROTARY_CACHE_DROPPED = "4.42";
    static final Set<String> PER_LAYER_ROTARY_FAMILIES = Set.of("mistral", "mistral derivative", "mistral large",
            "mistral nemo", "mistral small", "mixtral", "qwen1.5", "qwen2", "qwen2.5", "qwen2_moe", "starcoder2");

    /**
     * GPT-NeoX's attention (Pythia, RedPajama-INCITE, OpenCALM, GPT-NeoX-20B, Dolly v2) registers a causal-mask buffer
     * of max_position_embeddings squared booleans in every layer (modeling_gpt_neox.py, GPTNeoXAttention._init_bias),
     * kept until the model's refactor onto the shared attention functions (PR #35610, merged February 2025, in 4.49):
     * 96 MiB for Pythia-410M, the gap transformers' SDPA benchmark of it shows at short prompts. GPT-J's attention kept
     * the same buffer until the dynamic-cache rework removed it (PR #31421, in 4.45).
     */
    static final String CAUSAL_BUFFER_DROPPED = "4.49";
    static final String GPTJ_CAUSAL_BUFFER_DROPPED = "4.45";
    static final Map<String, String> CAUSAL_BUFFER_DROPPED_BY_FAMILY = Map.of("pythia", CAUSAL_BUFFER_DROPPED,
            "gpt-neox", CAUSAL_BUFFER_DROPPED, "gpt_neox", CAUSAL_BUFFER_DROPPED, "redpajama-incite", CAUSAL_BUFFER_DROPPED,
            "opencalm", CAUSAL_BUFFER_DROPPED, "japanese gpt-neox", CAUSAL_BUFFER_DROPPED, "dolly", CAUSAL_BUFFER_DROPPED,
            "gpt-j", GPTJ_CAUSAL_BUFFER_DROPPED, "gptj", GPTJ_CAUSAL_BUFFER_DROPPED);

    @Override
    public List<Part> modelBuffers(ModelSpec model, int context) {
        Architecture a = model.arch();
        if (model.family() == null || a.maxContext() == null || a.hidden() == null) {
            return List.of();
        }
        // Catalog families ("Qwen2.5") and a local folder's model_type ("qwen2") name the same modeling code.
        String family = model.family().toLowerCase(Locale.ROOT);
        String causalBufferDropped = CAUSAL_BUFFER_DROPPED_BY_FAMILY.get(family);
        int layers = a.totalLayers();
        if (version().before(ROTARY_CACHE_DROPPED) && PER_LAYER_ROTARY_FAMILIES.contains(family) && a.effectiveHeadDim() != null) {
            double bytes = 2.0 * layers * a.maxContext() * a.effectiveHeadDim() * 2;
            return List.of(Part.split(Component.WEIGHTS, Bytes.ofDouble(bytes), Fmt.format(
                    "rotary cos/sin buffers of every layer: 2 x %d layers x %d positions x %d x 2 B", layers, a.maxContext(),
                    a.effectiveHeadDim()), "transformers before 4.42: Mistral-derived rotary modules cache cos/sin per layer"
                    + " (removed by PR #30642); Qwen speed benchmark (Qwen2)"));
        }
        if (causalBufferDropped != null && version().before(causalBufferDropped)) {
            double bytes = (double) layers * a.maxContext() * a.maxContext();
            return List.of(Part.split(Component.WEIGHTS, Bytes.ofDouble(bytes), Fmt.format(
                    "causal-mask buffers of every layer: %d layers x %d^2 positions x 1 B", layers, a.maxContext()),
                    "transformers before " + causalBufferDropped + ": GPT-NeoX/GPT-J attention's bool tril of"
                            + " max_position_embeddings^2 (removed by PR #35610 / #31421)"));
        }
        return List.of();
    }

    /**
     * transformers 4.46 moved the logits' fp32 upcast from the model into the loss (PR #33902, ForCausalLMLoss in
     * loss/loss_utils.py), so the model's output holds the 16-bit logits while the loss holds their fp32 copy, a
     * shifted contiguous copy of that and the log-probabilities: 2 + 4 + 4 + 4 B per element at the forward's end.
     * PR #35646 (January 2025, in 4.49) dropped the shifted copy: 12 B again, now at the backward's start.
     */
    static final String LOSS_UPCAST = "4.46";
    static final String NO_SHIFTED_COPY = "4.49";

    /** Before 4.46 the causal-LM forward itself upcasts the logits it returns (logits.float(), PR #33902 moved it). */
    @Override
    public boolean outputLogitsFp32() {
        return version().before(LOSS_UPCAST);
    }

    @Override
    public int lossBytesPerLogit() {
        return !version().before(LOSS_UPCAST) && version().before(NO_SHIFTED_COPY) ? 14 : TrainingActivations.LOGIT_BYTES;
    }

    /**
     * The larger of generate()'s prefill of the prompt and a decode step. From 4.42 a step
     * concatenates one layer's keys and values into a new tensor (DynamicCache.update, torch.cat)
     * while the old one is alive, and computes the new token's logits. Before, a step builds a whole
     * new cache while the previous one is still referenced: at the last step the previous cache
     * (context - 2 tokens: the prefill gives the first new token), at the first the prompt's cache and
     * the prefill's fp32 logits.
     */
    @Override
    public Part activations(Architecture a, Workload w, int context) {
        int prompt = w.serving().prefillTokens(context);
        int c = w.format().computeBytes();
        boolean allPositions = version().before(LAST_POSITION_LOGITS);
        Part prefill = prefill(a, prompt, w.batch(), InferenceActivations.flash(w), c, allPositions);
        Integer kvHeads = a.effectiveKvHeads() != null ? a.effectiveKvHeads() : a.heads();
        long kvWidth = kvHeads == null || a.effectiveHeadDim() == null ? 0 : (long) kvHeads * a.effectiveHeadDim();
        long vocab = InferenceActivations.vocab(a);
        double newLogits = (double) w.batch() * vocab * (c + 4);
        double layerKv = 2.0 * w.batch() * kvWidth * c;
        Part step;
        // The prefill's logits give the first new token; each further token is one decode forward.
        if (version().before(ONE_CACHE_OBJECT) && context - prompt >= 2) {
            double first = layerKv * a.cachingLayers() * prompt + (double) w.batch() * (allPositions ? prompt : 1) * vocab * 4;
            double last = layerKv * a.cachingLayers() * (context - 2.0);
            step = Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(Math.max(first, last) + newLogits), Fmt.format(
                    "decode step: the previous step's cache still held, max(first step: %d-token cache + prefill fp32 logits"
                            + " %d x %d x %d x 4 B, last step: %d-token cache) of 2 x %d x %d x %d B x %d layers + logits"
                            + " %d x %d x (%d + 4) B", prompt, w.batch(), allPositions ? prompt : 1, vocab, context - 2,
                    w.batch(), kvWidth, c, a.cachingLayers(), w.batch(), vocab, c),
                    "transformers generate() before 4.42: legacy tuple cache and outputs kept across steps (fixed by PR"
                            + " #30536, 'Reduce by 2 the memory requirement in generate()')");
        } else {
            step = Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(layerKv * context + newLogits), Fmt.format(
                    "decode step at %d tokens: one layer's K and V concatenated 2 x %d x %d x %d x %d B + logits %d x %d x (%d + 4) B",
                    context, w.batch(), context, kvWidth, c, w.batch(), vocab, c),
                    "transformers DynamicCache.update (torch.cat per layer) and generate()'s next-token logits");
        }
        return step.bytes().value() <= prefill.bytes().value() ? prefill : step;
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
        return prefill(a, s, b, flash ? 0 : c + 4, c, allPositions, "transformers modeling_llama (eager_attention_forward,"
                + " fp32 softmax; logits.float(); logits_to_keep in generate since 4.45, PR #31292)");
    }

    /**
     * The same prefill for a PyTorch runtime whose attention keeps {@code scoreBytes} per score (0: a fused kernel that
     * keeps none); {@code source} names that runtime's code.
     */
    static Part prefill(Architecture a, int s, int b, int scoreBytes, int c, boolean allPositions, String source) {
        double h = a.hidden();
        int matrices = a.ffnType() == null ? 2 : a.ffnType().matrices();
        long width = InferenceActivations.mlpWidth(a);
        long vocab = InferenceActivations.vocab(a);
        double hiddenStates = 4.0 * b * s * h * c;
        double mlp = (double) b * s * width * matrices * c;
        int heads = a.heads() == null ? 1 : a.heads();
        double attention = (double) b * heads * s * s * scoreBytes;
        double logits = (double) b * (allPositions ? s : 1) * vocab * (c + 4);
        // The last layer's intermediates are freed before the head runs: the head holds the final hidden state, its
        // norm and the logits.
        double head = 2.0 * b * s * h * c + logits;
        double total = Math.max(hiddenStates + Math.max(mlp, attention), head);
        String f = Fmt.format("the larger of a layer (hidden 4 x %d x %d x %.0f x %d B + max(MLP %d x %d x %d x %d x %d B, attention %s))"
                        + " and the head (hidden 2 x %d x %d x %.0f x %d B + logits %d x %d x %d x (%d + 4) B%s)",
                b, s, h, c, b, s, width, matrices, c,
                scoreBytes == 0 ? "0 (FlashAttention/SDPA)" : Fmt.format("%d x %d heads x %d^2 x %d B", b, heads, s, scoreBytes),
                b, s, h, c, b, allPositions ? s : 1, vocab, c, allPositions ? ": every prompt position" : "");
        return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(total), f, source);
    }
}
