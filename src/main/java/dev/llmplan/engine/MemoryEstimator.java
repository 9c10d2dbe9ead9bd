package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;

/** Entry point of the engine: a model and a workload in, an {@link Estimate} out. No I/O. */
public final class MemoryEstimator {
    private MemoryEstimator() {
    }

    public static Estimate estimate(ModelSpec given, Workload w) {
        if (!given.openWeights() && !given.hypothetical()) {
            throw LlmplanException.badData(given.name() + " has no public weights and "
                    + (given.hasParameters() ? "no published architecture" : "no published parameter count")
                    + ": its memory cannot be sized; try an open model of similar size");
        }
        List<String> assumptions = new ArrayList<>();
        ModelSpec model = withShape(given, assumptions);
        if (!model.hasParameters()) {
            throw LlmplanException.badData(model.name() + " has no known parameter count");
        }
        Runtime runtime = w.effectiveRuntime();
        validate(model, w, runtime);
        List<String> warnings = warnings(model, w, runtime);
        List<Part> parts = new ArrayList<>();
        List<Part> host = new ArrayList<>();
        if (model.hypothetical()) {
            assumptions.add("no public weights: hypothetical; the memory a model of " + model.name()
                    + "'s published shape would need (" + shape(model.arch()) + ")");
        }
        if (model.origin() == ModelSpec.Origin.BARE_SIZE) {
            assumptions.add("bare size: weights are parameters x bits; KV cache and activations assume a typical "
                    + "shape (" + BareSize.describe(model.arch()) + "); name a catalog model for exact figures");
        }
        Integer max = model.maxContext();
        boolean defaulted = w.context() == null;
        int context = defaulted ? (max != null ? Math.min(Workload.DEFAULT_CONTEXT, max) : Workload.DEFAULT_CONTEXT) : w.context();
        if (defaulted && w.mode() != Mode.LOAD) {
            assumptions.add("context " + context + " tokens (default; set {context})");
        }
        Mode mode = w.mode();
        WeightFormat format = w.format();
        long trainable = 0;
        Estimate.HostExperts hostExperts = Estimate.HostExperts.NONE;
        if (mode.isTraining()) {
            TrainingModel.Result t = TrainingModel.compute(model, w, context, runtime, assumptions);
            parts.addAll(t.parts());
            host.addAll(t.hostParts());
            trainable = t.trainableParams();
        } else {
            // Weights are priced from what is known (the published count), never from an assumed shape; a vision
            // encoder is its own component.
            boolean vision = VisionEncoderModel.parameters(given) > 0;
            WeightsModel.Result weights = WeightsModel.compute(given, w, runtime, assumptions, vision);
            parts.add(Part.split(Component.WEIGHTS, weights.gpu(), weights.formula(), weights.source()));
            if (weights.host() != null) {
                host.add(weights.host());
            }
            if (weights.experts() != null) {
                host.add(weights.experts());
                hostExperts = weights.hostExperts();
            }
            if (mode == Mode.INFERENCE) {
                addInferenceParts(model, w, runtime, context, parts, host, assumptions);
            } else if (vision) {
                parts.add(VisionEncoderModel.weights(given, format));
            }
        }
        if (!mode.isTraining()) {
            parts.addAll(runtime.modelBuffers(model, context));
        }
        long active = activeParams(model);
        return new Estimate(model, w, runtime, context, defaulted, parts, host, assumptions, model.parameters(), active,
                trainable, warnings, hostExperts);
    }

    /** The model as the estimate sizes it: its own shape, or the typical shape of its size when unknown. */
    public static ModelSpec withShapeOf(ModelSpec model) {
        return withShape(model, new ArrayList<>());
    }

    /**
     * A model whose architecture is not known (a closed model's published size, a catalog entry without
     * one) borrows the typical shape of its size, said so, so that its KV cache and activations are
     * estimated rather than left at zero (which would make any context and batch "fit").
     */
    static ModelSpec withShape(ModelSpec model, List<String> assumptions) {
        Architecture a = model.arch();
        boolean recurrent = model.type() == ModelType.RECURRENT;
        if (TensorInventory.derivable(a) || recurrent || !model.hasParameters() || model.origin() == ModelSpec.Origin.BARE_SIZE) {
            return model;
        }
        Architecture.Builder b = BareSize.shape(model.parameters());
        if (a.maxContext() != null) {
            b.maxContext = a.maxContext();
        }
        if (a.vocab() != null) {
            b.vocab = a.vocab();
        }
        if (model.type() == ModelType.ENCODER_DECODER) {
            // Half the blocks encode and half decode (T5's even split).
            b.encoderLayers = b.layers / 2;
            b.decoderLayers = b.layers - b.encoderLayers;
        }
        Architecture shaped = b.build();
        assumptions.add("architecture unknown: the KV cache and activations assume a typical shape for "
                + ParamCount.humanCount(model.parameters()) + " parameters (" + BareSize.describe(shaped) + ")");
        return model.withArch(shaped);
    }

    /** "96 layers, hidden 12288, 96 heads" for the hypothetical note. */
    private static String shape(Architecture a) {
        StringBuilder sb = new StringBuilder();
        sb.append(a.totalLayers()).append(" layers, hidden ").append(a.hidden()).append(", ").append(a.heads()).append(" heads");
        if (a.effectiveKvHeads() != null && !a.effectiveKvHeads().equals(a.heads())) {
            sb.append(" (").append(a.effectiveKvHeads()).append(" KV)");
        }
        return sb.toString();
    }

    private static void addInferenceParts(ModelSpec model, Workload w, Runtime runtime, int context, List<Part> parts,
                                          List<Part> host, List<String> assumptions) {
        KvFormat kv = w.kvFormat() != null ? w.kvFormat() : defaultKv(model);
        // Image tokens sit in the text sequence, so the cache holds them on top of the context.
        int imageTokens = VisionEncoderModel.sequenceTokens(model, w);
        KvCacheModel.Result cache = KvCacheModel.compute(model, context + imageTokens, w.batch(), kv, runtime, assumptions);
        parts.add(runtime.placeKvCache(Part.split(Component.KV_CACHE, cache.bytes(), cache.formula(), cache.source()),
                model, w.gpuCount()));
        parts.add(InferenceActivations.compute(model, runtime, w, context));
        parts.addAll(runtime.overheads(model, w));
        if (VisionEncoderModel.parameters(model) > 0) {
            parts.addAll(VisionEncoderModel.inferenceParts(model, w, runtime, context, kv, assumptions));
        }
        Serving s = w.serving();
        if (s.loraSlots() != null) {
            ServedAdapters.Result lora = ServedAdapters.compute(model, w, runtime, assumptions);
            parts.addAll(lora.parts());
            host.addAll(lora.hostParts());
        }
        if (s.draft() != null) {
            DraftModel.Result draft = DraftModel.compute(s.draft(), w, context, runtime, assumptions);
            parts.addAll(draft.parts());
            host.addAll(draft.hostParts());
        }
        assumptions.addAll(runtime.assumptions(w));
    }

    /** The KV cache follows the model's compute dtype: bf16 where the checkpoint is bf16, else fp16. */
    static KvFormat defaultKv(ModelSpec model) {
        return "bf16".equals(model.nativePrecision()) ? KvFormat.BF16 : KvFormat.FP16;
    }

    /**
     * Parameters used per token. An MoE model without a stated figure follows the catalog's convention
     * (README): the routed experts a token uses, every shared weight and the output head, but not the input
     * embedding, whose lookup reads one row (with tied embeddings the shared matrix counts once, as the head).
     */
    static long activeParams(ModelSpec model) {
        if (model.activeParameters() != null) {
            return model.activeParameters();
        }
        if (model.arch().isMoe() && TensorInventory.derivable(model.arch())) {
            TensorInventory inv = TensorInventory.of(model.arch(), model.type());
            boolean tied = inv.total(TensorRole.OUTPUT_HEAD) == 0;
            long active = inv.activeParams(model.arch()) - (tied ? 0 : inv.total(TensorRole.TOKEN_EMBEDDING));
            return Math.round(model.parameters() * (double) active / inv.total());
        }
        return model.parameters();
    }

    /** Combinations that are legal but rarely what the user means. */
    static List<String> warnings(ModelSpec model, Workload w, Runtime runtime) {
        List<String> out = new ArrayList<>(runtime.warnings(w));
        if (model.approximate()) {
            out.add("approximate architecture: " + model.family() + " has no dedicated config.json reader and no weight"
                    + " header was read, so the parameter count and shape come from generic fields and may be off");
        }
        TrainingOptions t = w.training();
        boolean servedLora = w.mode() == Mode.INFERENCE && w.serving().loraSlots() != null;
        if (!w.mode().isTraining() && (t.precision() != null || t.optimizer() != null || t.checkpointing() != null
                || !servedLora && (t.loraRank() != null || t.loraTargets() != null) || t.loraDropout() != null
                || t.zeroStage() != null || t.gradAccumulation() != null
                || t.offload() != null)) {
            out.add("training options ({precision}, {optimizer}, {gradCheckpointing}, {loraRank}, {loraTargets},"
                    + " {loraDropout}, {gradAccumulation}, {zero}, {offload}) are ignored in " + w.mode().id()
                    + " mode; add {mode} train, lora or qlora");
        }
        if (w.mode().isPeft() && t.gradAccumulation() != null && !t.wrapsBlocks(w.mode())) {
            out.add("{gradAccumulation} changes a full fine-tune's peak (its gradients); with " + w.mode().id()
                    + " the adapters' gradients are too small to matter and it is ignored");
        }
        if (!w.mode().isTraining() && t.trainer() != null) {
            out.add("{trainer} names the training code; it is ignored in " + w.mode().id() + " mode");
        }
        if (w.mode().isTraining() && !w.mode().hasLoraAdapters() && t.loraDropout() != null) {
            out.add("{loraDropout} applies to LoRA adapters (lora, qlora, adalora); it is ignored in " + w.mode().id() + " mode");
        }
        if (t.fsdpWrap() != null && (!w.mode().hasLoraAdapters() || t.zeroStage() == null || t.zeroStage() < 3)) {
            out.add("{fsdpWrap} applies to LoRA adapters trained with {zero} fsdp (or 3, taken as FSDP); it is ignored here");
        }
        Serving s = w.serving();
        if (s.expertsOnCpu() && !model.arch().isMoe()) {
            out.add(model.name() + " has no routed experts: {cpuMoe} and {nCpuMoe} keep nothing in host memory");
        } else if (s.cpuMoeLayers() != null && w.mode().isTraining()) {
            out.add("{cpuMoe} and {nCpuMoe} apply to inference; they are ignored in " + w.mode().id() + " mode");
        }
        if (w.mode() != Mode.INFERENCE && (s.draft() != null || s.loraSlots() != null)) {
            out.add("serving options ({draft}, {loraSlots}) are ignored in " + w.mode().id() + " mode");
        }
        if (s.images() != null && VisionEncoderModel.parameters(model) == 0) {
            out.add("{images} is ignored: " + model.name() + " has no vision encoder");
        }
        if (s.loraSlots() != null && runtime.preallocatesLoraSlots() && t.loraTargets() != null) {
            out.add("vLLM allocates LoRA slots on every supported module whatever the adapters target: {loraTargets} does"
                    + " not change its memory");
        }
        Integer vocab = model.arch().vocab();
        Integer draftVocab = s.draft() == null ? null : s.draft().model().arch().vocab();
        // llama.cpp refuses a draft whose vocabulary differs by more than 128 tokens
        // (common/speculative.cpp SPEC_VOCAB_MAX_SIZE_DIFFERENCE); vLLM needs the same tokenizer.
        if (vocab != null && draftVocab != null && Math.abs(vocab - draftVocab) > 128) {
            out.add("the draft " + s.draft().model().name() + " has a " + draftVocab + "-token vocabulary and "
                    + model.name() + " " + vocab + ": speculative decoding needs the same tokenizer");
        }
        if (w.kvFormat() == KvFormat.FP32) {
            out.add("an fp32 KV cache doubles the cache for no accuracy gain over fp16/bf16");
        }
        Integer max = model.maxContext();
        Integer extended = model.arch().extendedContext();
        if (w.context() != null && max != null && extended != null && w.mode() != Mode.LOAD && w.context() > max
                && w.context() <= extended) {
            out.add("{context} " + w.context() + " is above " + model.name() + "'s native " + max + " tokens: it needs"
                    + " the longer-context configuration its model card gives (rope scaling such as YaRN), up to " + extended);
        }
        boolean beyond = w.context() != null && max != null && w.context() > max && (extended == null || w.context() > extended);
        if (beyond && w.mode() != Mode.LOAD && model.type() != ModelType.RECURRENT) {
            // Runtimes allow it with a warning (llama.cpp "n_ctx_train < n_ctx"; vLLM only with
            // VLLM_ALLOW_LONG_MAX_MODEL_LEN=1); positions past the trained length degrade the output.
            out.add("{context} " + w.context() + " is beyond " + model.name() + "'s trained length of "
                    + (extended != null ? extended + " tokens (" + max + " native, the rest with its longer-context configuration)"
                    : max + " tokens") + ": quality degrades past it and vLLM needs VLLM_ALLOW_LONG_MAX_MODEL_LEN=1;"
                    + " the memory is estimated anyway");
        }
        if (w.context() != null && max != null && w.mode() == Mode.LOAD && w.context() > max) {
            out.add("{context} " + w.context() + " is above the model's maximum of " + max + " (ignored in load mode)");
        }
        return out;
    }

    private static void validate(ModelSpec model, Workload w, Runtime runtime) {
        // A context beyond the model's trained length is a warning (see warnings), not an error.
        runtime.checkWeights(w.format());
        if (w.serving().cpuMoeLayers() != null && !runtime.runsHostLayersOnCpu()) {
            throw LlmplanException.invalid("{cpuMoe} and {nCpuMoe} are llama.cpp placements (experts multiplied by the CPU);"
                    + " add {runtime} llama.cpp");
        }
        if (w.kvFormat() != null && !runtime.supportsKv(w.kvFormat())) {
            throw LlmplanException.invalid("the " + runtime.id() + " runtime does not support a " + w.kvFormat().id()
                    + " KV cache");
        }
    }
}
