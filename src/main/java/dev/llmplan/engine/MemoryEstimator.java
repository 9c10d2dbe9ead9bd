package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Entry point of the engine: a model and a workload in, an {@link Estimate} out. No I/O. */
public final class MemoryEstimator {
    private MemoryEstimator() {
    }

    public static Estimate estimate(ModelSpec model, Workload w) {
        if (!model.openWeights()) {
            throw LlmplanException.badData(model.name() + " has no public weights"
                    + (model.hasParameters() ? "" : " and no published parameter count")
                    + ": there is nothing to load; try an open model of similar size");
        }
        if (!model.hasParameters()) {
            throw LlmplanException.badData(model.name() + " has no known parameter count");
        }
        Runtime runtime = w.effectiveRuntime();
        validate(model, w, runtime);
        List<String> warnings = warnings(model, w, runtime);
        List<String> assumptions = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        List<Part> host = new ArrayList<>();
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
        if (mode.isTraining()) {
            TrainingModel.Result t = TrainingModel.compute(model, w, context, runtime, assumptions);
            parts.addAll(t.parts());
            host.addAll(t.hostParts());
            trainable = t.trainableParams();
        } else {
            WeightsModel.Result weights = WeightsModel.compute(model, format, runtime, assumptions);
            parts.add(Part.split(Component.WEIGHTS, weights.gpu(), weights.formula(), weights.source()));
            if (!weights.hostEmbedding().isZero()) {
                host.add(Part.split(Component.WEIGHTS, weights.hostEmbedding(),
                        "token embedding (llama.cpp keeps it in the CPU buffer)", "llama.cpp llm_load_tensors"));
            }
            if (mode == Mode.INFERENCE) {
                addInferenceParts(model, w, runtime, context, parts, assumptions);
            }
        }
        long active = activeParams(model);
        return new Estimate(model, w, runtime, context, defaulted, parts, host, assumptions, model.parameters(), active,
                trainable, warnings);
    }

    private static void addInferenceParts(ModelSpec model, Workload w, Runtime runtime, int context, List<Part> parts,
                                          List<String> assumptions) {
        KvFormat kv = w.kvFormat() != null ? w.kvFormat() : defaultKv(model);
        KvCacheModel.Result cache = KvCacheModel.compute(model, context, w.batch(), kv, runtime, assumptions);
        if (runtime == Runtime.VLLM && model.arch().isMla() && w.gpuCount() > 1) {
            // MLA's latent is shared by all heads, so tensor parallelism cannot shard it: vLLM keeps the
            // whole latent cache on every rank (vLLM MLA attention backend).
            parts.add(Part.perGpu(Component.KV_CACHE, cache.bytes(), cache.formula() + " (replicated on every GPU)",
                    cache.source() + "; vLLM MLA backend replicates the latent cache across tensor-parallel ranks"));
        } else {
            parts.add(Part.split(Component.KV_CACHE, cache.bytes(), cache.formula(), cache.source()));
        }
        boolean flash = w.flashAttention() == null || w.flashAttention();
        InferenceActivations.Result act = InferenceActivations.compute(model, runtime, context, w.batch(), flash,
                w.format().computeBytes());
        parts.add(Part.perGpu(Component.ACTIVATIONS, act.bytes(), act.formula(), act.source()));
        parts.add(overhead(runtime));
    }

    static Part overhead(Runtime runtime) {
        long bytes = runtime.perGpuOverheadBytes();
        return Part.perGpu(Component.OVERHEAD, Bytes.of(bytes),
                String.format(Locale.ROOT, "%d MiB per GPU (%s CUDA context and runtime)", bytes / Bytes.MIB, runtime.id()),
                switch (runtime) {
                    case TRANSFORMERS, VLLM -> "transformers docs: 1343 MB occupied after CUDA initialisation (V100)";
                    case LLAMA_CPP -> "Ollama's 457 MiB CUDA overhead budget for llama.cpp";
                    case GENERIC -> "a bare CUDA context (~300 MiB)";
                });
    }

    /** The KV cache follows the model's compute dtype: bf16 where the checkpoint is bf16, else fp16. */
    static KvFormat defaultKv(ModelSpec model) {
        return "bf16".equals(model.nativePrecision()) ? KvFormat.BF16 : KvFormat.FP16;
    }

    static long activeParams(ModelSpec model) {
        if (model.activeParameters() != null) {
            return model.activeParameters();
        }
        if (model.arch().isMoe() && TensorInventory.derivable(model.arch())) {
            TensorInventory inv = TensorInventory.of(model.arch(), model.type());
            return Math.round(model.parameters() * (double) inv.activeParams(model.arch()) / inv.total());
        }
        return model.parameters();
    }

    /** Combinations that are legal but rarely what the user means. */
    static List<String> warnings(ModelSpec model, Workload w, Runtime runtime) {
        List<String> out = new ArrayList<>();
        if (runtime == Runtime.VLLM && Boolean.FALSE.equals(w.flashAttention())) {
            out.add("vLLM always uses its own paged attention kernels; {flashAttention} off does not change its memory");
        }
        if (w.format().isGguf() && runtime == Runtime.TRANSFORMERS) {
            out.add("transformers dequantises GGUF weights to 16-bit when it loads them; the estimate prices the GGUF sizes");
        }
        TrainingOptions t = w.training();
        if (!w.mode().isTraining() && (t.precision() != null || t.optimizer() != null || t.checkpointing() != null
                || t.loraRank() != null || t.loraTargets() != null || t.zeroStage() != null || t.offload() != null)) {
            out.add("training options ({precision}, {optimizer}, {gradCheckpointing}, --lora-*, {zero}, {offload}) "
                    + "are ignored in " + w.mode().id() + " mode; add {mode} train, lora or qlora");
        }
        if (w.kvFormat() == KvFormat.FP32) {
            out.add("an fp32 KV cache doubles the cache for no accuracy gain over fp16/bf16");
        }
        Integer max = model.maxContext();
        if (w.context() != null && max != null && w.mode() == Mode.LOAD && w.context() > max) {
            out.add("{context} " + w.context() + " is above the model's maximum of " + max + " (ignored in load mode)");
        }
        return out;
    }

    private static void validate(ModelSpec model, Workload w, Runtime runtime) {
        Integer max = model.maxContext();
        // A recurrent state does not grow with the context, so its trained length is no hard limit.
        if (w.context() != null && max != null && w.context() > max && w.mode() != Mode.LOAD
                && model.type() != ModelType.RECURRENT) {
            throw LlmplanException.invalid("context " + w.context() + " exceeds " + model.name() + "'s maximum of " + max
                    + " tokens");
        }
        if (runtime == Runtime.VLLM && w.format().isGguf()) {
            throw LlmplanException.invalid("GGUF formats run on llama.cpp, not vLLM: use {runtime} llama.cpp or a non-GGUF {quant}");
        }
        if (runtime == Runtime.LLAMA_CPP && !w.format().isGguf() && w.format().kind() != WeightFormat.Kind.FLOAT) {
            throw LlmplanException.invalid("llama.cpp runs GGUF formats: use a GGUF {quant} such as q4_k_m, or another {runtime}");
        }
        if (w.kvFormat() != null && !w.kvFormat().supportedBy(runtime)) {
            throw LlmplanException.invalid("the " + runtime.id() + " runtime does not support a " + w.kvFormat().id()
                    + " KV cache");
        }
    }
}
