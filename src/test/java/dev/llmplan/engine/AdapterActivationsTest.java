package dev.llmplan.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What adapters keep for backward: LoRA dropout's copies (one nn.Dropout per adapted module, peft
 * tuners/lora/layer.py) and a bitsandbytes base's tensors in the dtype they are kept in (bitsandbytes
 * Linear4bit.forward casts its output back to the fp32 stream; MatMul4Bit keeps its input only before 0.43.2,
 * bitsandbytes PR #1270). Llama 2 7B: 32 layers, hidden 4096, 32 heads x 128 (no GQA), MLP 11008 (SwiGLU).
 */
class AdapterActivationsTest {
    private static final ModelSpec LLAMA2_7B = TrainingModelTest.llama1("llama-2-7b", 6_738_415_616L, 32, 4096, 32, 11008);
    private static final int TOKENS = 1024;

    private static long activations(Mode mode, String quant, List<String> targets, Double dropout, Runtime runtime) {
        return activations(mode, quant, targets, dropout, runtime, TrainingOptions.Checkpointing.NONE);
    }

    private static long activations(Mode mode, String quant, List<String> targets, Double dropout, Runtime runtime,
                                    TrainingOptions.Checkpointing ckpt) {
        TrainingOptions t = new TrainingOptions(null, null, ckpt, 8, targets, null, null, null, null, null, dropout, null, null, null);
        Estimate e = MemoryEstimator.estimate(LLAMA2_7B, new Workload(mode, WeightFormat.parse(quant, null), TOKENS, 1, null,
                runtime, true, 1, t));
        return e.component(Component.ACTIVATIONS).value();
    }

    /**
     * bf16 LoRA on q_proj and v_proj: without dropout both adapters read the normed input x, kept once (2 B x 4096);
     * with dropout each keeps its own dropped-out copy (2 B) and mask (1 B): 2 x 3 x 4096 - 2 x 4096 = 16,384 B more
     * per token per layer.
     */
    @Test
    void dropoutKeepsACopyAndAMaskPerAdapter() {
        long without = activations(Mode.LORA, "bf16", List.of("q_proj", "v_proj"), null, Runtime.TRANSFORMERS);
        long with = activations(Mode.LORA, "bf16", List.of("q_proj", "v_proj"), 0.05, Runtime.TRANSFORMERS);
        assertThat(with - without).isEqualTo((long) TOKENS * 32 * 16_384);
        assertThat(activations(Mode.LORA, "bf16", List.of("q_proj", "v_proj"), 0.0, Runtime.TRANSFORMERS)).isEqualTo(without);
        // Under full checkpointing only the recomputed layer holds its copies, and that layer is never alive with the
        // loss (the head inputs 2 x 4096 x 2 B and 12 B per logit of the 32000-word vocabulary): the larger counts.
        var full = TrainingOptions.Checkpointing.FULL;
        long loss = (long) TOKENS * (2 * 4096 * 2 + 32000 * 12);
        long layer = (without - loss) / 32;
        long checkpoints = (long) TOKENS * 32 * 4096 * 2;
        long fullWith = activations(Mode.LORA, "bf16", List.of("q_proj", "v_proj"), 0.05, Runtime.TRANSFORMERS, full);
        long fullWithout = activations(Mode.LORA, "bf16", List.of("q_proj", "v_proj"), null, Runtime.TRANSFORMERS, full);
        assertThat(fullWithout).isCloseTo(checkpoints + Math.max(layer, loss), org.assertj.core.data.Offset.offset(2L));
        assertThat(fullWith).isCloseTo(checkpoints + Math.max(layer + (long) TOKENS * 16_384, loss),
                org.assertj.core.data.Offset.offset(2L));
    }

    /** A fused qkv adapter is one module with one dropout: 3 x 4096 - 2 x 4096 B more, against 7 x 4096 for q, k and v apart. */
    @Test
    void aFusedModuleHasOneDropout() {
        long fusedWithout = activations(Mode.LORA, "bf16", List.of("qkv_proj"), null, Runtime.TRANSFORMERS);
        long fused = activations(Mode.LORA, "bf16", List.of("qkv_proj"), 0.1, Runtime.TRANSFORMERS);
        long apartWithout = activations(Mode.LORA, "bf16", List.of("q_proj", "k_proj", "v_proj"), null, Runtime.TRANSFORMERS);
        long apart = activations(Mode.LORA, "bf16", List.of("q_proj", "k_proj", "v_proj"), 0.1, Runtime.TRANSFORMERS);
        assertThat(fused - fusedWithout).isEqualTo((long) TOKENS * 32 * 4096);
        assertThat(apart - apartWithout).isEqualTo((long) TOKENS * 32 * 7 * 4096);
    }

    /**
     * QLoRA (nf4, fp32 stream) without checkpointing, per token per layer: Q, K, V and the attention output in bf16
     * (4 x 4096 x 2 B = 32,768), the SwiGLU intermediates in fp32 (3 x 11008 x 4 = 132,096), two fp32 norm inputs
     * (32,768) and a bf16 copy of x per adapter (2 x 4096 x 2 = 16,384): 214,016 B; plus per token the fp32 final
     * norm and head inputs (2 x 4096 x 4) and the fp32 logits with their gradient (32,000 x 12), and one dequantised
     * 11008 x 4096 matrix in bf16. With transformers before 4.43
     * (bitsandbytes before 0.43.2) every 4-bit linear also keeps its bf16 input: (6 x 4096 + 11008) x 2 = 71,168 B.
     */
    @Test
    void olderBitsandbytesKeepsEveryQuantisedLinearsInput() {
        List<String> qv = List.of("q_proj", "v_proj");
        long current = activations(Mode.QLORA, "nf4", qv, null, Runtime.TRANSFORMERS);
        assertThat(current).isEqualTo((long) TOKENS * (32 * 214_016L + 2 * 4096 * 4 + 32_000 * 12) + 2L * 11008 * 4096);
        long older = activations(Mode.QLORA, "nf4", qv, null, Runtime.parse("transformers@4.40"));
        assertThat(older - current).isEqualTo((long) TOKENS * 32 * 71_168);
        // Dropout adds each adapter's 1-byte mask to its bf16 copy.
        long dropout = activations(Mode.QLORA, "nf4", qv, 0.1, Runtime.TRANSFORMERS);
        assertThat(dropout - current).isEqualTo((long) TOKENS * 32 * 2 * 4096);
        // 8-bit MatMul8bitLt keeps its input in every version.
        long int8 = activations(Mode.QLORA, "int8", qv, null, Runtime.TRANSFORMERS);
        long int8Older = activations(Mode.QLORA, "int8", qv, null, Runtime.parse("transformers@4.40"));
        assertThat(int8).isEqualTo(int8Older);
        assertThat(int8 - current).isEqualTo((long) TOKENS * 32 * 71_168);
    }

    /**
     * transformers' LlamaRMSNorm upcasts its input (hidden_states.to(torch.float32)) and autograd keeps that fp32 copy
     * for pow and the product: 4 B per element for each of a layer's two norms, and when the norm weight is trained
     * also the bf16 normalised output it multiplies (2 B). Llama 2 7B with nothing but the norms' and attention's
     * tensors kept (no linear input), per token per layer: (Q, K, V, out 4 x 4096 + SwiGLU 3 x 11008) x 2 B + 2 x 4096 x 4.
     */
    @Test
    void anRmsNormKeepsAnFp32CopyOfItsInput() {
        Architecture a = LLAMA2_7B.arch();
        var none = java.util.EnumSet.noneOf(LinearModules.Group.class);
        long frozen = TrainingActivations.compute(a, ModelType.DECODER, TOKENS, 1, true, TrainingOptions.Checkpointing.NONE,
                none, 2, 0, null, false).bytes().value();
        long trained = TrainingActivations.compute(a, ModelType.DECODER, TOKENS, 1, true, TrainingOptions.Checkpointing.NONE,
                none, 2, 0, null, true).bytes().value();
        long head = (long) TOKENS * 2 * 4096 * 2;
        assertThat(frozen).isEqualTo((long) TOKENS * 32 * ((4L * 4096 + 3 * 11008) * 2 + 2 * 4096 * 4) + head);
        assertThat(trained - frozen).isEqualTo((long) TOKENS * 32 * 2 * 4096 * 2);
        assertThat(a.rmsNorm()).isTrue();
    }

    /**
     * FSDP wrapping whole blocks with use_orig_params flattens frozen and LoRA weights together, so the flat
     * parameter's gradient covers every element of every block, unsharded on each GPU under gradient accumulation
     * (PyTorch FSDP docs; Lightning-AI/litgpt issue 1417): Llama 2 7B's blocks are 6,738,415,616 parameters less the
     * embedding and head (2 x 32,000 x 4096), 6,476,271,616 x 2 B = 12,952,543,232 B per GPU, on 2 GPUs as on 8.
     * LitGPT measured 22.18 GB per GPU for this run on 2 A100s against 21.30 GB on one (tutorials/resource-tables.md).
     */
    @Test
    void fsdpBlockWrappingHoldsTheBlocksWholeGradientOnEveryGpu() {
        for (int gpus : new int[] {2, 8}) {
            long adapters = gradients(gpus, null);
            long blocks = gradients(gpus, TrainingOptions.FsdpWrap.BLOCKS);
            assertThat(blocks - adapters).isEqualTo(12_952_543_232L);
        }
    }

    /**
     * With one micro-batch a step there is no no_sync: each block's gradient is reduce-scattered after its backward, so a
     * GPU holds the shards (6,476,271,616 x 2 B / 2 GPUs) and the block being reduced (202,383,360 x 2 B). One GPU
     * (NO_SHARD) keeps them whole either way.
     */
    @Test
    void withoutAccumulationTheBlocksGradientIsSharded() {
        assertThat(gradients(2, TrainingOptions.FsdpWrap.BLOCKS, 1) - gradients(2, null, 1))
                .isEqualTo(6_476_271_616L + 2 * 202_383_360L);
        assertThat(gradients(1, TrainingOptions.FsdpWrap.BLOCKS, 1) - gradients(1, null, 1)).isEqualTo(12_952_543_232L);
    }

    /**
     * {fsdpWrap} applies to LoRA adapters only: prompt-style modes (prefix here) have no adapted blocks to wrap, so
     * the option is ignored, and said to be, with everything it would change: ZeRO-3 stays DeepSpeed's, and the
     * gradient-accumulation warning still fires.
     */
    @Test
    void blockWrappingIsIgnoredWhereNoLoraAdaptersAre() {
        Estimate blocks = prefix(TrainingOptions.FsdpWrap.BLOCKS);
        Estimate plain = prefix(null);
        assertThat(blocks.parts()).isEqualTo(plain.parts());
        assertThat(blocks.parts()).noneMatch(p -> p.role() == Part.Role.FSDP_UNSHARDED)
                .anyMatch(p -> p.role() == Part.Role.ZERO3_GATHER);
        assertThat(blocks.warnings()).anyMatch(w -> w.startsWith("{fsdpWrap} applies to LoRA adapters"))
                .anyMatch(w -> w.startsWith("{gradAccumulation} changes a full fine-tune's peak"));
    }

    private static Estimate prefix(TrainingOptions.FsdpWrap wrap) {
        TrainingOptions t = new TrainingOptions(null, null, TrainingOptions.Checkpointing.FULL, null, null, 3, null, null,
                null, null, null, wrap, 4, null);
        return MemoryEstimator.estimate(LLAMA2_7B, new Workload(Mode.PREFIX, WeightFormat.parse("bf16", null), TOKENS, 1,
                null, Runtime.TRANSFORMERS, true, 2, t));
    }

    private static long gradients(int gpus, TrainingOptions.FsdpWrap wrap) {
        return gradients(gpus, wrap, null);
    }

    /** Per-GPU gradient bytes of Llama 2 7B LoRA (q, v; rank 8) under FSDP on {@code gpus} GPUs. */
    private static long gradients(int gpus, TrainingOptions.FsdpWrap wrap, Integer accumulation) {
        TrainingOptions t = new TrainingOptions(null, null, TrainingOptions.Checkpointing.FULL, 8, List.of("q_proj", "v_proj"),
                3, null, null, null, null, null, wrap, accumulation, null);
        Estimate e = MemoryEstimator.estimate(LLAMA2_7B, new Workload(Mode.LORA, WeightFormat.parse("bf16", null), TOKENS, 1,
                null, Runtime.TRANSFORMERS, true, gpus, t));
        return e.parts().stream().filter(p -> p.component() == Component.GRADIENTS)
                .mapToLong(p -> p.perGpu() ? p.bytes().value() : p.bytes().value() / gpus).sum();
    }
}
