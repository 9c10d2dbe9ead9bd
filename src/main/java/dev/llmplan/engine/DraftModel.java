package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The draft model of speculative decoding as its own component: its weights in its own format and its own
 * KV cache at the target's context and batch. vLLM gives the draft its own KV cache layers (same
 * --kv-cache-dtype unless the speculative config names another); llama.cpp's server creates a draft context
 * per slot of n_ctx / n_parallel tokens, which over all slots is the same context x batch, with its own cache
 * types (f16 unless --cache-type-k-draft; {@link Runtime#draftKvFormat}). Both split the
 * draft over the GPUs as they split the target: vLLM runs it at the target's tensor-parallel size
 * (SpeculativeConfig._verify_and_get_draft_tp defaults the draft TP to the target's, and the V1 draft-model
 * proposer refuses any other), llama.cpp loads it on the same devices (params_dft.devices is empty unless
 * --device-draft, so every GPU, with the target's --tensor-split).
 */
public final class DraftModel {
    private DraftModel() {
    }

    record Result(List<Part> parts, List<Part> hostParts) {
    }

    /** The text the draft's KV-cache part starts with (vLLM's block pool counts it with the target's cache). */
    private static final String KV = "draft KV cache: ";

    /** The draft's compute buffer in an estimate (0 unless the runtime gives the draft its own). */
    public static Bytes computeBufferBytes(Estimate e) {
        return sum(e, Part.Role.DRAFT_COMPUTE_BUFFER);
    }

    private static final String BUFFER = "draft compute buffer: ";

    private static Bytes sum(Estimate e, Part.Role role) {
        Bytes sum = Bytes.ZERO;
        for (Part p : e.parts()) {
            if (p.role() == role) {
                sum = sum.plus(p.bytes());
            }
        }
        return sum;
    }

    /** The draft's KV cache in an estimate (0 without a draft). */
    public static Bytes kvBytes(Estimate e) {
        return sum(e, Part.Role.DRAFT_KV_CACHE);
    }

    static Result compute(Draft draft, Workload w, int context, Runtime runtime, List<String> assumptions) {
        List<String> own = new ArrayList<>();
        ModelSpec model = MemoryEstimator.withShape(draft.model(), own);
        if (!model.hasParameters()) {
            throw LlmplanException.badData("the draft model " + model.name() + " has no known parameter count");
        }
        try {
            runtime.checkWeights(draft.format());
        } catch (LlmplanException e) {
            throw LlmplanException.invalid("draft model: " + e.getMessage().replace("{quant}", "{draftQuant}"));
        }
        List<Part> parts = new ArrayList<>();
        List<Part> host = new ArrayList<>();
        WeightsModel.Result weights = WeightsModel.compute(draft.model(), Workload.inference(draft.format()), runtime, own, true);
        parts.add(Part.split(Component.DRAFT, weights.gpu(), "draft weights (" + model.name() + ", " + draft.format().id()
                + "): " + weights.formula(), weights.source()));
        if (weights.host() != null) {
            Part h = weights.host();
            host.add(new Part(Component.DRAFT, h.bytes(), h.perGpu(), "draft " + h.formula(), h.source()));
        }
        long encoder = VisionEncoderModel.bytes(draft.model(), draft.format());
        if (encoder > 0) {
            parts.add(Part.split(Component.DRAFT, Bytes.of(encoder), "draft's vision encoder at 16 bit", "draft model"));
        }
        Integer max = model.maxContext();
        int tokens = max != null && max < context ? max : context;
        if (tokens < context) {
            assumptions.add("the draft model's maximum context is " + max + " tokens: vLLM speculates only while a sequence"
                    + " is shorter (min of the two models' max_model_len), so its cache holds " + max);
        }
        KvFormat kv = runtime.draftKvFormat(w, MemoryEstimator.defaultKv(model));
        KvCacheModel.Result cache = KvCacheModel.compute(model, tokens, w.batch(), kv, runtime, own);
        parts.add(Part.split(Component.DRAFT, cache.bytes(), KV + cache.formula(),
                "the draft keeps its own KV cache (vLLM draft layers in the KV cache config; llama.cpp draft context); "
                        + cache.source()).as(Part.Role.DRAFT_KV_CACHE));
        boolean ownBuffer = runtime.draftHasOwnComputeBuffer();
        if (ownBuffer) {
            Part buffer = runtime.activations(model.arch(), w.withFormat(draft.format()), tokens);
            parts.add(Part.perGpu(Component.DRAFT, buffer.bytes(), BUFFER + buffer.formula(),
                    "llama.cpp creates the draft as its own llama_context, which reserves its own compute buffer; "
                            + buffer.source()).as(Part.Role.DRAFT_COMPUTE_BUFFER));
        }
        for (String a : own) {
            assumptions.add("draft: " + a);
        }
        assumptions.add(Fmt.format("speculative decoding with %s as the draft: %d tokens drafted per target pass;"
                + " the draft is split over the GPUs as the target is (vLLM: the target's tensor-parallel size;"
                + " llama.cpp: the same devices); %s",
                model.name(), Draft.TOKENS, ownBuffer ? "its context keeps a compute buffer of its own"
                        : "its activations are smaller than the target's and not live at the same time"));
        if (draft.acceptance() == null) {
            assumptions.add("the draft's decode speed-up is not modelled without {draftAcceptance}");
        }
        return new Result(parts, host);
    }
}
