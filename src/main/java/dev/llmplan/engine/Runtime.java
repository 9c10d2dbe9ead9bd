package dev.llmplan.engine;

import java.util.List;
import java.util.Optional;

/**
 * A runtime profile: everything one inference runtime does that changes memory, in one class per
 * runtime ({@link TransformersRuntime}, {@link AutoAwqRuntime}, {@link VllmRuntime}, {@link LlamaCppRuntime},
 * {@link GenericRuntime}), listed in {@link Runtimes}. The engine and the planner ask the profile;
 * they never test which runtime it is. The defaults here are what a runtime without quirks does.
 *
 * <p>A profile describes one version of its runtime ({@link #version()}, the current one unless
 * told otherwise); versions whose allocation differs are meant to be told apart there.
 */
public interface Runtime {
    Runtime TRANSFORMERS = new TransformersRuntime();
    Runtime AUTOAWQ = new AutoAwqRuntime();
    Runtime VLLM = new VllmRuntime();
    Runtime LLAMA_CPP = new LlamaCppRuntime();
    Runtime GENERIC = new GenericRuntime();

    /** The name users type and output prints: "transformers", "autoawq", "vllm", "llama.cpp", "generic". */
    String id();

    /** Other names that select this runtime ("hf", "ollama"), besides the id spelt with or without dots and dashes. */
    default List<String> aliases() {
        return List.of();
    }

    /** The version of the runtime this profile describes. */
    RuntimeVersion version();

    /** The same runtime at another version. */
    Runtime withVersion(RuntimeVersion v);

    /** How output names it: the id, with the version when it is not the current one ("transformers@4.38"). */
    default String label() {
        return version().isCurrent() ? id() : id() + "@" + version().text();
    }

    // ---------------------------------------------------------------- what it runs

    /** Whether a user of {@code format} most likely runs this runtime ({@link Runtimes#defaultFor}). */
    default boolean runsByDefault(WeightFormat format) {
        return false;
    }

    /** Rejects a weights format this runtime cannot load (a usage error naming the way out). */
    default void checkWeights(WeightFormat format) {
    }

    /** Whether this runtime loads {@code format} ({@link #checkWeights} accepts it). */
    default boolean loads(WeightFormat format) {
        try {
            checkWeights(format);
            return true;
        } catch (LlmplanException e) {
            return false;
        }
    }

    /** Whether this runtime stores its KV cache in {@code kv}. */
    boolean supportsKv(KvFormat kv);

    /** Whether models are fine-tuned on it (PyTorch); serving-only runtimes are not. */
    default boolean trains() {
        return true;
    }

    /** Legal combinations that are rarely what the user means, in {@code {key}} words. */
    default List<String> warnings(Workload w) {
        return List.of();
    }

    /** What the runtime does that an estimate states without a number of its own (e.g. vLLM's prefix caching). */
    default List<String> assumptions(Workload w) {
        return List.of();
    }

    // ---------------------------------------------------------------- memory

    /**
     * The KV-cache format of a speculative-decoding draft: the workload's {@code {kvCache}} when set (vLLM's
     * draft inherits --kv-cache-dtype), else the draft model's own 16-bit dtype.
     */
    default KvFormat draftKvFormat(Workload w, KvFormat draftDefault) {
        return w.kvFormat() != null ? w.kvFormat() : draftDefault;
    }

    /**
     * Whether a speculative-decoding draft runs in a context of its own with its own compute buffer
     * (llama.cpp), rather than sharing the target's activation memory (vLLM profiles them together).
     */
    default boolean draftHasOwnComputeBuffer() {
        return false;
    }

    /**
     * Whether served LoRA adapters get fixed slots on every supported module at the largest rank (vLLM's
     * max_loras x max_lora_rank buffers) rather than the memory of the adapters loaded (llama.cpp, PEFT).
     */
    default boolean preallocatesLoraSlots() {
        return false;
    }

    /**
     * Whether bitsandbytes' 4-bit matmul keeps its input for backward in the stack this runtime is taken with
     * (before bitsandbytes 0.43.2); current stacks keep only the quantised weight.
     */
    default boolean fourBitMatmulKeepsInput() {
        return false;
    }

    /**
     * Whether the default AdamW of this training stack keeps a whole moment's temporary during the step
     * ({@link OptimizerStep}); a fused or per-parameter implementation does not.
     */
    default boolean adamwStepTemporary() {
        return false;
    }

    /**
     * Buffers the runtime's model code keeps beside the weights (none by default), split with the layers; some are
     * sized by the {@code context} the model is loaded for.
     */
    default List<Part> modelBuffers(ModelSpec model, int context) {
        return List.of();
    }

    /** Bytes per logit element alive at the loss of a training step ({@link TrainingActivations#LOGIT_BYTES}). */
    default int lossBytesPerLogit() {
        return TrainingActivations.LOGIT_BYTES;
    }

    /** Whether the model's output holds its logits in fp32 (the causal-LM forward upcasts them before the loss). */
    default boolean outputLogitsFp32() {
        return false;
    }

    /** Bytes every GPU pays before any model tensor: CUDA context and runtime kernels. */
    long perGpuOverheadBytes();

    /** Where {@link #perGpuOverheadBytes()} comes from. */
    String overheadSource();

    /** What every GPU pays besides tensors, as named parts (the CUDA context; vLLM adds CUDA graphs). */
    default List<Part> overheads(ModelSpec model, Workload w) {
        return List.of(overhead());
    }

    /** The per-GPU overhead as a part of the estimate. */
    default Part overhead() {
        long bytes = perGpuOverheadBytes();
        return Part.perGpu(Component.OVERHEAD, Bytes.of(bytes),
                Fmt.format("%d MiB per GPU (%s CUDA context and runtime)", bytes / Bytes.MIB, id()),
                overheadSource());
    }

    /**
     * Peak activation / compute-buffer memory of inference on one GPU (a per-GPU part), for an
     * architecture whose hidden size is known; {@code w} gives the batch, the attention kernels, the
     * compute dtype and the serving settings (prompt length, scheduler limits).
     */
    Part activations(Architecture a, Workload w, int context);

    /**
     * The workspace of encoding one step's {@code images} with a multimodal model's vision tower (a per-GPU
     * part); by default a PyTorch runtime's, in the compute dtype with fused attention.
     */
    default Part visionWorkspace(VisionEncoder v, long images, Workload w) {
        return VisionEncoderModel.torchWorkspace(v, images, w.format().computeBytes());
    }

    /**
     * Where the priced weights live. {@code tokenEmbeddingBytes} is the token embedding's share of
     * {@code bytes}; {@code tiedHead} says the embedding is also the output head. By default every
     * byte is on the GPUs.
     */
    default WeightsPlacement placeWeights(double bytes, double tokenEmbeddingBytes, boolean tiedHead) {
        return WeightsPlacement.onGpu(bytes);
    }

    /**
     * How many of the {@code layers} caching layers keep only the sliding window (the model's own
     * pattern by default); say so in {@code assumptions} when the runtime departs from it.
     */
    default int slidingLayers(Architecture a, int layers, List<String> assumptions) {
        return a.slidingLayers(layers);
    }

    /** Tokens a sliding-window layer caches at this context. */
    default int slidingWindowTokens(int window, int context) {
        return Math.min(context, window);
    }

    /**
     * The KV cache as placed over {@code gpuCount} GPUs; {@code cache} is the whole cache as a part
     * split over the GPUs, which is what it is unless the runtime replicates it.
     */
    default Part placeKvCache(Part cache, ModelSpec model, int gpuCount) {
        return cache;
    }

    // ---------------------------------------------------------------- hardware

    /**
     * Whether layers (or experts) kept in host memory are computed there by the CPU, as llama.cpp does
     * with {@code -ngl} and {@code --cpu-moe}; otherwise they are streamed to the GPU over its host link
     * for every forward pass (accelerate's CPU offload, FlexGen).
     */
    default boolean runsHostLayersOnCpu() {
        return false;
    }

    /**
     * Prompt tokens processed per copy of host-resident weights to the GPU: the whole prompt for a
     * runtime that streams each layer once per forward pass; a runtime that prefills in micro-batches
     * copies them once per micro-batch.
     */
    default int tokensPerHostWeightCopy(int promptTokens) {
        return promptTokens;
    }

    /** How the runtime spreads one inference replica over several GPUs when not told. */
    MultiGpuSplit multiGpuSplit();

    /**
     * Whether the runtime keeps headroom itself by taking only a share of each card (vLLM's
     * gpu_memory_utilization): the planner then adds no margin of its own inside that share.
     */
    default boolean reservesHeadroom() {
        return false;
    }

    /**
     * Of a card's {@code parts}, the bytes known exactly, which the error band does not widen: none,
     * unless the runtime sizes a part by its own arithmetic (vLLM's KV block pool).
     */
    default long exactBytes(java.util.Map<Component, Long> parts) {
        return 0;
    }

    /** Bytes of a card with {@code usableBytes} free that the runtime lets itself use. */
    default double cardCapacity(double usableBytes, Workload w) {
        return usableBytes;
    }

    /**
     * The KV block pool a runtime pre-allocates on a card of {@code cardMemory} for this estimate
     * (vLLM's blocks and maximum concurrency); empty when it allocates the cache as it goes.
     */
    default Optional<VllmCapacity> kvBlockPool(Estimate e, Bytes cardMemory) {
        return Optional.empty();
    }

    /** The registered runtime {@code text} names (id or alias); a usage error listing the ids otherwise. */
    static Runtime parse(String text) {
        return Runtimes.parse(text);
    }
}
