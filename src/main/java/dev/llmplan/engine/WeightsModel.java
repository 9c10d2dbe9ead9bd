package dev.llmplan.engine;

import java.util.List;

/** Weight bytes from the tensor inventory and the format's per-tensor bits. */
final class WeightsModel {
    private WeightsModel() {
    }

    /**
     * {@code host} is the part the runtime keeps in host memory, or null; {@code experts} the routed
     * experts kept there for the CPU ({@link Serving#cpuMoeLayers()}), or null, with what a token reads of them.
     */
    record Result(Bytes gpu, Part host, Part experts, Estimate.HostExperts hostExperts, String formula, String source,
                  long parameters) {
    }

    /** Every weight where the runtime keeps it (no experts moved to the CPU), a vision encoder's tensors included. */
    static Result compute(ModelSpec model, WeightFormat format, Runtime runtime, List<String> assumptions) {
        return compute(model, Workload.inference(format), runtime, assumptions, false);
    }

    /**
     * The weights; with {@code visionApart} a multimodal model's vision encoder is left out (inference prices it
     * as its own component, {@link VisionEncoderModel}), so weights + encoder is the checkpoint.
     */
    static Result compute(ModelSpec model, Workload w, Runtime runtime, List<String> assumptions, boolean visionApart) {
        WeightFormat format = w.format();
        Integer cpuMoe = w.serving().cpuMoeLayers();
        long apart = visionApart ? VisionEncoderModel.parameters(model) : 0;
        // Exact bytes are set only for a file model whose stored format is the workload's (the CLI
        // drops them when --quant names another format), so they win over format arithmetic.
        if (model.exactWeightBytes() != null) {
            long exact = model.exactWeightBytes();
            long encoder = apart > 0 ? Math.min(exact, VisionEncoderModel.bytes(model, format)) : 0;
            String what = "exact tensor bytes read from the model files" + (apart > 0 ? ", less the vision encoder's" : "");
            Result experts = w.serving().expertsOnCpu() && model.origin() != ModelSpec.Origin.BARE_SIZE
                    && TensorInventory.derivable(model.arch()) ? compute(model.withExactWeightBytes(null), w, Runtime.GENERIC,
                    new java.util.ArrayList<>(), visionApart) : null;
            if (experts == null || experts.experts() == null) {
                return new Result(Bytes.of(exact - encoder), null, null, null, what, "model files", model.parameters() - apart);
            }
            // The files give the total; the experts' share of it is the format's share of the priced tensors.
            double share = (exact - encoder) / (experts.gpu().value() + experts.experts().bytes().value()
                    + (experts.host() == null ? 0 : experts.host().bytes().value()));
            Bytes host = Bytes.ofDouble(experts.experts().bytes().value() * share);
            Estimate.HostExperts he = new Estimate.HostExperts(host,
                    Bytes.ofDouble(experts.hostExperts().readPerToken().value() * share), experts.hostExperts().layers());
            return new Result(Bytes.of(exact - encoder - host.value()), null, Part.split(Component.WEIGHTS, host,
                    experts.experts().formula(), experts.experts().source()), he,
                    what + ", less the experts kept in host memory", "model files", model.parameters() - apart);
        }
        long params = model.parameters();
        TensorInventory inventory = inventoryFor(model, format, assumptions);
        if (apart > 0 && !TensorInventory.derivable(model.arch())) {
            inventory = TensorInventory.opaque(params - apart);
        }
        // A vision encoder is its own part of the total: the architecture describes the language model only.
        boolean derivedShape = model.origin() != ModelSpec.Origin.BARE_SIZE && TensorInventory.derivable(model.arch());
        long vision = apart > 0 ? apart : derivedShape && model.visionEncoder() != null ? model.visionEncoder().parameters() : 0;
        double derived = inventory.total();
        // Scale the block tensors so the total matches the published count (biases, vision towers
        // and other tensors the architecture fields do not describe are priced like block weights).
        double blockDerived = inventory.tensors().stream().filter(t -> !t.role().isEmbeddingOrHead())
                .mapToDouble(Tensor::params).sum();
        double edgeDerived = derived - blockDerived;
        double scale = blockDerived > 0 ? Math.max(0, params - vision - edgeDerived) / blockDerived : 1;
        if (derivedShape && Math.abs(scale - 1) > 0.02) {
            assumptions.add(Fmt.format(
                    "the architecture fields explain %s of the published %s parameters; the difference is priced like block weights",
                    ParamCount.humanCount((long) derived), ParamCount.humanCount(params - vision)));
        }
        double bytes = 0;
        double embeddingBytes = 0;
        double expertHost = 0;
        java.util.Set<Integer> expertLayers = new java.util.HashSet<>();
        for (Tensor t : inventory.tensors()) {
            double b = format.bytesFor(t, inventory, model.arch());
            if (!t.role().isEmbeddingOrHead()) {
                b *= scale;
            }
            bytes += b;
            if (t.role() == TensorRole.TOKEN_EMBEDDING) {
                embeddingBytes += b;
            }
            // llama.cpp's override matches blk.<i>.ffn_(up|down|gate)_exps for i < N (common/common.h
            // llm_ffn_exps_block_regex): routed experts only; shared experts (ffn_*_shexp), the router
            // (ffn_gate_inp) and leading dense blocks match nothing and stay on the GPU.
            if (cpuMoe != null && t.expert() && t.layer() >= 0 && t.layer() < cpuMoe) {
                expertHost += b;
                expertLayers.add(t.layer());
            }
        }
        if (vision > 0 && apart == 0) {
            bytes += format.bytesFor(Tensor.vector("vision_encoder", TensorRole.OTHER, -1, vision), inventory, model.arch());
            assumptions.add("weights include the vision encoder (" + ParamCount.humanCount(vision)
                    + " parameters of the " + ParamCount.humanCount(params) + ") at the format's bits");
        }
        long priced = params - apart;
        double bitsPerWeight = bytes * 8 / priced;
        String formula = Fmt.format("%s %sparameters x %.4g bits per weight (%s) / 8 = %s bytes",
                ParamCount.humanCount(priced), apart > 0 ? "language-model " : "", bitsPerWeight, format.id(),
                Fmt.format("%.0f", bytes));
        WeightsPlacement placed = runtime.placeWeights(bytes, embeddingBytes, inventory.total(TensorRole.OUTPUT_HEAD) == 0);
        if (expertHost <= 0) {
            return new Result(Bytes.ofDouble(placed.gpuBytes()), placed.host(), null, null, formula + placed.note(),
                    format.source(), priced);
        }
        Architecture a = model.arch();
        // A decode step reads the experts its token is routed to: expertsPerToken of experts in each block.
        double routed = a.expertsPerToken() == null || a.experts() == null ? 1 : a.expertsPerToken() / (double) a.experts();
        Bytes host = Bytes.ofDouble(expertHost);
        Part experts = Part.split(Component.WEIGHTS, host, Fmt.format(
                "routed experts of %d MoE blocks (%s); a token reads %d of %d experts per block",
                expertLayers.size(), cpuMoe == Serving.ALL_LAYERS ? "all blocks, {cpuMoe}"
                        : "the first " + cpuMoe + " blocks, {nCpuMoe}",
                a.expertsPerToken() == null ? a.experts() : a.expertsPerToken(), a.experts()),
                "llama.cpp --cpu-moe / --n-cpu-moe tensor buffer overrides (common/arg.cpp, common/common.h)");
        Estimate.HostExperts he = new Estimate.HostExperts(host, Bytes.ofDouble(expertHost * routed), expertLayers.size());
        assumptions.add(Fmt.format("decode reads the host experts one token is routed to (%d of %d per block) at host memory"
                + " bandwidth; the tokens of a batch may route to more", a.expertsPerToken() == null ? a.experts()
                : a.expertsPerToken(), a.experts()));
        return new Result(Bytes.ofDouble(placed.gpuBytes() - expertHost), placed.host(), experts, he,
                formula + placed.note() + Fmt.format("; %.0f bytes of routed experts in host memory", expertHost),
                format.source(), priced);
    }

    /**
     * The tensor inventory, or one opaque tensor when the architecture is unknown or the size is bare
     * (a bare size under a GGUF file type uses its assumed shape: the type is a per-tensor mix).
     */
    static TensorInventory inventoryFor(ModelSpec model, WeightFormat format, List<String> assumptions) {
        if (model.origin() == ModelSpec.Origin.BARE_SIZE) {
            if (format.isGguf() && TensorInventory.derivable(model.arch())) {
                // A GGUF file type is a mix (Q3_K_M keeps attn_v and some ffn_down at Q4_K/Q5_K, the output
                // head at Q6_K: llama.cpp llama_tensor_get_type), so one bits figure would flatten
                // q3_k_s/m/l into one size; the mix is applied to the assumed shape's tensors instead.
                assumptions.add("GGUF " + format.id() + ": llama.cpp's per-tensor mix applied to the assumed shape");
                return TensorInventory.of(model.arch(), model.type());
            }
            // A bare size is priced as the survey does: every parameter at the format's bits.
            return TensorInventory.opaque(model.parameters());
        }
        if (TensorInventory.derivable(model.arch())) {
            return TensorInventory.of(model.arch(), model.type());
        }
        assumptions.add("architecture unknown: every parameter priced at the format's block bits");
        return TensorInventory.opaque(model.parameters());
    }
}
