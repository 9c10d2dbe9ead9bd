package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What PyTorch FSDP (FullyShardedDataParallel, the one accelerate, Lightning Fabric, torchtune 2024 and Answer.AI's
 * train.py wrap with) holds unsharded beside the shards, on every GPU, when it shards over more than one:
 * <ul>
 * <li>the root unit (what no wrapped block owns: the embeddings, the final norm and the head) is not resharded
 *     after its forward, because the backward needs it at once (torch/distributed/fsdp/_runtime_utils.py
 *     {@code _post_forward_reshard}: "Do not free the root's parameters in the post-forward for FULL_SHARD"), so
 *     it stays whole from the forward's start to the backward's end;</li>
 * <li>the default backward prefetch, BACKWARD_PRE, all-gathers the next unit in the backward's order while the
 *     current one runs its backward (and limit_all_gathers lets two be in flight in the forward): two blocks
 *     unsharded where whole blocks follow one another, one where adapters are units of their own between them;</li>
 * <li>trained, a flat parameter receives its unsharded gradient before its reduce-scatter: for a block, one at a
 *     time; for the root, the head's gradient arrives first in the backward and waits in autograd's input buffer
 *     for the embedding's at the end before the root's reduce-scatter (one vocab x hidden matrix held through the
 *     whole backward).</li>
 * </ul>
 * On one GPU FSDP runs NO_SHARD and gathers nothing. DeepSpeed ZeRO-3 gathers module by module instead and is priced
 * by its own estimator's buffer.
 */
final class FsdpUnits {
    private FsdpUnits() {
    }

    static final String SOURCE = "torch/distributed/fsdp/_runtime_utils.py _post_forward_reshard (root kept unsharded),"
            + " BackwardPrefetch.BACKWARD_PRE (FSDP's default), limit_all_gathers";
    /** How the unsharded parameters' formula starts; the part is a step transient ({@link StepTransients}). */
    static final String LABEL = "FSDP unsharded parameters";
    /** How the held gradients' formula starts; the part is a step transient ({@link StepTransients}). */
    static final String GRADIENT_LABEL = "FSDP unsharded gradients";
    /** The current and the prefetched block, where blocks follow one another in the backward order. */
    static final int LAYERS_UNSHARDED = 2;

    /**
     * The per-GPU parts: the unsharded root ({@code extraRoot} parameters beyond the model's embeddings and head: a
     * trainer's untied head copy) and {@code layers} blocks at their stored widths ({@code rootBytes}, {@code
     * layerBytes} per parameter), and with {@code gradientBytes} > 0 (a trained base) the gradients held unsharded;
     * empty when the shapes are unknown.
     */
    static List<Part> parts(ModelSpec model, long extraRoot, double rootBytes, double layerBytes, int layers,
                            int gradientBytes) {
        if (!TensorInventory.derivable(model.arch())) {
            return List.of();
        }
        TensorInventory inv = TensorInventory.of(model.arch(), model.type());
        long root = inv.total(TensorRole.TOKEN_EMBEDDING) + inv.total(TensorRole.POSITION_EMBEDDING)
                + inv.total(TensorRole.OUTPUT_HEAD) + extraRoot;
        long layer = inv.largestBlock();
        List<Part> parts = new ArrayList<>();
        parts.add(Part.perGpu(Component.WEIGHTS, Bytes.ofDouble(rootBytes * root + layers * layerBytes * layer),
                Fmt.format(LABEL + ": root unit (embeddings and head) %s parameters x %s B, never resharded between"
                                + " forward and backward, + %s", ParamCount.humanCount(root), Fmt.format("%.3g", rootBytes),
                        layers == 1 ? Fmt.format("1 layer %s parameters x %s B (the adapters are units of their own:"
                                        + " the backward prefetches an adapter, not the next layer)",
                                ParamCount.humanCount(layer), Fmt.format("%.3g", layerBytes))
                                : Fmt.format("%d layers %s parameters x %s B (backward prefetch)", layers,
                                ParamCount.humanCount(layer), Fmt.format("%.3g", layerBytes))), SOURCE)
                .as(Part.Role.FSDP_UNSHARDED));
        Architecture a = model.arch();
        if (gradientBytes > 0) {
            // An encoder has no vocabulary head (the estimate prices no logits for it): its embedding's gradient comes
            // last in the backward, with one layer's, and nothing waits through the backward.
            long head = model.type() == ModelType.ENCODER || a.vocab() == null || a.hidden() == null ? 0
                    : (long) a.vocab() * a.hidden();
            String headText = head == 0 ? "" : Fmt.format("the head's %s x %d B, held from the backward's start until the"
                    + " root unit's reduce-scatter at its end, + ", ParamCount.humanCount(head), gradientBytes);
            parts.add(Part.perGpu(Component.GRADIENTS, Bytes.ofDouble((double) gradientBytes * (head + layer)), Fmt.format(
                    GRADIENT_LABEL + ": %sone layer's %s x %d B before its reduce-scatter", headText,
                    ParamCount.humanCount(layer), gradientBytes),
                    SOURCE + "; torch autograd sums a parameter's gradients in its input buffer before AccumulateGrad"
                            + " (FSDP's post-backward hook)").as(Part.Role.FSDP_GRADIENTS));
        }
        return parts;
    }

    /**
     * Bytes per parameter of a frozen base's stored block weights: bitsandbytes packs a 4-bit weight in half a byte of
     * its float quant_storage (8-bit in one), GPTQ/AWQ keep their packed bits (viewed as fp16 for FSDP), a float base
     * its own width.
     */
    static double frozenLayerBytes(WeightFormat format) {
        return switch (format.kind()) {
            case BITSANDBYTES -> format.blockBits() < 8 ? 0.5 : 1.0;
            case GPTQ, AWQ, EXL2 -> format.blockBits() / 8;
            default -> format.computeBytes();
        };
    }
}
