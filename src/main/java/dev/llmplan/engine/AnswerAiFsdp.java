package dev.llmplan.engine;

/**
 * What Answer.AI's fsdp_qlora train.py ({@code {trainer} answerai-fsdp}) holds beyond the Hugging Face Trainer's
 * run of the same model, each from its source (train.py at AnswerDotAI/fsdp_qlora@4cd69234, the commit that
 * published its benchmarks):
 * <ul>
 * <li>PyTorch FSDP's unsharded root and prefetched layers ({@link FsdpUnits}) with train.py's wrapping policy
 *     (l.442-477: every decoder layer and every LoRA linear a unit, so the root keeps the embeddings, the final norm
 *     and the unquantised lm_head, replace_linear skipping "lm_head", l.128, l.562) and the FSDP defaults its
 *     constructor call leaves (l.724-737: BACKWARD_PRE, limit_all_gathers);</li>
 * <li>the loop's {@code output = model(...)} (l.841) is released only after {@code loss.backward()} (l.863, "output
 *     = None" l.894), so the fp32 logits the model returned stay alive through the whole backward, beside the
 *     loss's gradients and every recomputed layer;</li>
 * <li>a bitsandbytes base is loaded in the bf16 torch_dtype (load_and_quantize casts every tensor, l.191/222, 627)
 *     and never goes through prepare_model_for_kbit_training: the norms, embeddings and residual stream stay bf16;</li>
 * <li>a 4-bit base's quantisation state stays whole on every GPU: load_and_quantize quantises each Params4bit on
 *     the GPU (l.216) and moves only its packed data to CPU or meta (l.217-221; "FSDP only syncs parameters and
 *     buffers, so the quant_state isn't copied", l.211), and bitsandbytes keeps that state as a plain attribute
 *     of the Linear4bit (Params4bit._quantize sets {@code module.quant_state}, bitsandbytes 0.43 nn/modules.py),
 *     which FSDP neither shards nor offloads.</li>
 * </ul>
 */
final class AnswerAiFsdp {
    private AnswerAiFsdp() {
    }

    static final String SOURCE = "AnswerDotAI/fsdp_qlora train.py@4cd69234";
    static final int FP32 = 4;

    /** Bytes a logit of the held output takes: fp32 where the model code upcasts its logits, else the training dtype's. */
    static int logitBytes(Runtime runtime, int weightBytes) {
        return runtime.outputLogitsFp32() ? FP32 : weightBytes;
    }
    /** Bits of one packed 4-bit weight, without its block statistics. */
    private static final int PACKED_BITS = 4;

    /**
     * A 4-bit bitsandbytes base's quantisation state (absmax per 64-weight block, and with double quantisation its
     * own absmax) on every GPU: the format's bits beyond the 4 packed ones, for every quantised linear; null for
     * other formats or unknown shapes. The packed weights are sharded or offloaded without it.
     */
    static Part quantState(ModelSpec model, WeightFormat format) {
        if (format.kind() != WeightFormat.Kind.BITSANDBYTES || format.blockBits() >= 8
                || !TensorInventory.derivable(model.arch())) {
            return null;
        }
        // The block linears the format packs (WeightFormat keeps routers and norms in 16 bits): the base this state is
        // taken out of counts it for them alone.
        long quantised = 0;
        for (Tensor t : TensorInventory.of(model.arch(), model.type()).tensors()) {
            if (t.role().isProjection()) {
                quantised += t.params();
            }
        }
        double stateBits = format.blockBits() - PACKED_BITS;
        return Part.perGpu(Component.WEIGHTS, Bytes.ofDouble(quantised * stateBits / 8), Fmt.format(
                        "bitsandbytes quant_state on every GPU (not a parameter: FSDP neither shards nor offloads it):"
                                + " %s quantised weights x %.3f bits (%s) / 8", ParamCount.humanCount(quantised),
                        stateBits, format.id()),
                SOURCE + " l.211-221 (quantised on the GPU, only the packed data moved); bitsandbytes 0.43"
                        + " nn/modules.py Params4bit._quantize (module.quant_state), Linear4bit.forward (restores it after FSDP)");
    }

    /**
     * The logits the loop's {@code output} keeps through the backward, per GPU: fp32 (4 B) where the model returns
     * {@code logits.float()} (transformers before 4.46), the training dtype's width after (PR #33902 moved the
     * upcast into the loss).
     */
    static Part heldLogits(Architecture a, int tokens, int batch, int bytesPerLogit) {
        double bytes = (double) bytesPerLogit * tokens * batch * a.vocab();
        return Part.perGpu(Component.ACTIVATIONS, Bytes.ofDouble(bytes), Fmt.format(
                        "model output held through backward: %d tokens x %d batch x %d vocab x %d B (%s logits)",
                        tokens, batch, a.vocab(), bytesPerLogit, bytesPerLogit == FP32 ? "fp32" : "16-bit"),
                SOURCE + " l.841-894 (output released after loss.backward()); transformers before 4.46 return"
                        + " logits.float(), later ones the model dtype's logits");
    }
}
