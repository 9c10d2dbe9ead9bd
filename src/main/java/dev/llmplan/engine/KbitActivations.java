package dev.llmplan.engine;

import java.util.List;

/**
 * Activations of a bitsandbytes (4/8-bit) base trained with adapters, tensor by tensor in the dtype it is kept in.
 * prepare_model_for_kbit_training (and qlora.py's fp32 norms) leave the residual stream in fp32, but the matmuls
 * run in the bf16 compute dtype:
 * <ul>
 * <li>the layer inputs (checkpoints), the norm inputs and the head inputs are fp32 (4 B);</li>
 * <li>the 4-bit linears cast their outputs back to their input's dtype (bitsandbytes Linear4bit.forward,
 *     out.to(inp_dtype)), so the MLP's intermediates (gate, up and act(gate), or fc1's output) are fp32;</li>
 * <li>the attention kernel runs in bf16 and keeps Q, K, V and its output in bf16 (2 B);</li>
 * <li>each adapter's lora_A keeps its own bf16 copy of its input (autocast's cast, or PEFT's cast to the bf16
 *     adapter dtype), 2 B per input element, plus dropout's 1-byte mask when LoRA dropout is on;</li>
 * <li>the quantised linears keep their input's bf16 cast only where bitsandbytes still saves it: 8-bit
 *     MatMul8bitLt always, 4-bit MatMul4Bit before 0.43.2 (bitsandbytes PR #1270, July 2024, saves only the
 *     quantised weight since).</li>
 * </ul>
 */
final class KbitActivations {
    private KbitActivations() {
    }

    static final String SOURCE = "bitsandbytes Linear4bit.forward / MatMul4Bit (PR #1270: no saved input from 0.43.2);"
            + " peft prepare_model_for_kbit_training (fp32 stream); " + TrainingActivations.SOURCE;

    private static final int STREAM = 4;
    private static final int COMPUTE = 2;
    private static final int MASK = 1;

    /**
     * @param adapters         per layer, one module per adapter (empty lists for prompt-style methods)
     * @param headAdapter      whether the output head carries an adapter (its bf16 input copy is kept once)
     * @param dropout          whether the adapters apply LoRA dropout
     * @param baseKeepsInputs  whether the quantised linears keep their input (see the class comment)
     * @param logitBytes       bytes per logit element at the loss (0: no LM head)
     */
    static TrainingActivations.Result compute(Architecture a, ModelType type, int s, int b, boolean flash,
                                              TrainingOptions.Checkpointing ckpt, List<List<LinearModules.Linear>> adapters,
                                              boolean headAdapter, boolean dropout, boolean baseKeepsInputs, int logitBytes) {
        if (!TrainingActivations.known(a)) {
            return TrainingActivations.UNKNOWN;
        }
        TrainingActivations.Shape x = new TrainingActivations.Shape(a);
        long attention = (x.heads * x.d + 2 * x.kv * x.d + (flash ? x.heads * x.d : 0)) * COMPUTE;
        long mlp = (x.gated ? 3 * x.f : x.f) * STREAM;
        long norms = (long) a.norms() * x.h * STREAM;
        // Adapter and base-layer inputs, averaged over the layers (MoE models mix dense and expert layers).
        List<List<LinearModules.Linear>> modules = LinearModules.of(a, type);
        int n = Math.max(1, modules.size());
        double adapter = inputElements(adapters, a) * (COMPUTE + (dropout ? MASK : 0)) / n;
        double base = baseKeepsInputs ? inputElements(modules, a) * COMPUTE / n : 0;
        TrainingActivations.Layer layer = new TrainingActivations.Layer(attention + mlp + norms + adapter + base, attention,
                Fmt.format("(attention Q, K, V, out %d B in bf16 + MLP %d B in the fp32 stream + norms %d B fp32"
                                + " + adapter inputs %s B%s%s)", attention, mlp, norms, Fmt.format("%.0f", adapter),
                        dropout ? " (bf16 copy and dropout mask each)" : " (a bf16 copy each)",
                        baseKeepsInputs ? Fmt.format(" + quantised linears' inputs %s B", Fmt.format("%.0f", base)) : ""));
        double head = headAdapter ? (double) x.h * (COMPUTE + (dropout ? MASK : 0)) : 0;
        LoraDropout.Result headCopy = head == 0 ? null : new LoraDropout.Result(0, 0, head,
                Fmt.format("the head adapter's bf16 input copy %s B per token", Fmt.format("%.0f", head)));
        return TrainingActivations.assemble(a, type, s, b, flash, ckpt, layer, STREAM, COMPUTE, logitBytes, headCopy, SOURCE);
    }

    /** Input elements a token brings to the given modules, summed over the layers (experts see it per copy). */
    private static double inputElements(List<List<LinearModules.Linear>> layers, Architecture a) {
        double total = 0;
        for (List<LinearModules.Linear> layer : layers) {
            for (LinearModules.Linear l : layer) {
                total += (double) l.dIn() * l.tokenCopies(a);
            }
        }
        return total;
    }
}
