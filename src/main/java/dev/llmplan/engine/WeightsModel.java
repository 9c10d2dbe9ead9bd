package dev.llmplan.engine;

import java.util.List;

/** Weight bytes from the tensor inventory and the format's per-tensor bits. */
final class WeightsModel {
    private WeightsModel() {
    }

    /** {@code host} is the part the runtime keeps in host memory, or null. */
    record Result(Bytes gpu, Part host, String formula, String source, long parameters) {
    }

    /** The weights with a vision encoder's tensors included (training prices the checkpoint as one). */
    static Result compute(ModelSpec model, WeightFormat format, Runtime runtime, List<String> assumptions) {
        return compute(model, format, runtime, assumptions, false);
    }

    /**
     * The weights; with {@code visionApart} a multimodal model's vision encoder is left out (inference prices it
     * as its own component, {@link VisionEncoderModel}), so weights + encoder is the checkpoint.
     */
    static Result compute(ModelSpec model, WeightFormat format, Runtime runtime, List<String> assumptions,
                          boolean visionApart) {
        long apart = visionApart ? VisionEncoderModel.parameters(model) : 0;
        // Exact bytes are set only for a file model whose stored format is the workload's (the CLI
        // drops them when --quant names another format), so they win over format arithmetic.
        if (model.exactWeightBytes() != null) {
            long encoder = Math.min(model.exactWeightBytes(), VisionEncoderModel.bytes(model, format));
            return new Result(Bytes.of(model.exactWeightBytes() - (apart > 0 ? encoder : 0)), null,
                    "exact tensor bytes read from the model files" + (apart > 0 ? ", less the vision encoder's" : ""),
                    "model files", model.parameters() - apart);
        }
        long params = model.parameters();
        TensorInventory inventory = inventoryFor(model, assumptions);
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
        for (Tensor t : inventory.tensors()) {
            double b = format.bytesFor(t, inventory, model.arch());
            if (!t.role().isEmbeddingOrHead()) {
                b *= scale;
            }
            bytes += b;
            if (t.role() == TensorRole.TOKEN_EMBEDDING) {
                embeddingBytes += b;
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
        return new Result(Bytes.ofDouble(placed.gpuBytes()), placed.host(), formula + placed.note(), format.source(), priced);
    }

    /** The tensor inventory, or one opaque tensor when the architecture is unknown or the size is bare. */
    static TensorInventory inventoryFor(ModelSpec model, List<String> assumptions) {
        if (model.origin() == ModelSpec.Origin.BARE_SIZE) {
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
