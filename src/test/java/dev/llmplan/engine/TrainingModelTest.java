package dev.llmplan.engine;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.assertj.core.data.Percentage.withPercentage;

/** Fine-tuning memory against published figures; models are built here, not read from the catalog. */
class TrainingModelTest {
    static ModelSpec spec(String id, long params, ModelType type, Architecture a) {
        return new ModelSpec(id, id, List.of(), null, null, null, null, true, type, params, null, null, "bf16", null,
                "test", null, a, ModelSpec.Origin.CATALOG, null);
    }

    /** meta-llama/Llama-3.2-3B config.json. */
    static ModelSpec llama32_3b() {
        Architecture.Builder b = Architecture.builder();
        b.layers = 28; b.hidden = 3072; b.heads = 24; b.kvHeads = 8; b.headDim = 128; b.ffn = 8192;
        b.ffnType = FfnType.SWIGLU; b.vocab = 128256; b.tiedEmbeddings = true; b.maxContext = 131072;
        return spec("llama-3.2-3b", 3_212_749_824L, ModelType.DECODER, b.build());
    }

    /** LLaMA-1 configs (65B: 80 x 8192, 64 heads, ffn 22016; 33B: 60 x 6656, 52 heads, ffn 17920). */
    static ModelSpec llama1(String id, long params, int layers, int h, int heads, int ffn) {
        Architecture.Builder b = Architecture.builder();
        b.layers = layers; b.hidden = h; b.heads = heads; b.kvHeads = heads; b.headDim = h / heads; b.ffn = ffn;
        b.ffnType = FfnType.SWIGLU; b.vocab = 32000; b.tiedEmbeddings = false; b.maxContext = 2048;
        return spec(id, params, ModelType.DECODER, b.build());
    }

    /** t5-3b config.json: d_model 1024, 24+24 layers, 32 heads x d_kv 128, d_ff 16384 (ReLU), vocab 32128; 2851M params (DeepSpeed docs). */
    static ModelSpec t5_3b() {
        Architecture.Builder b = Architecture.builder();
        b.encoderLayers = 24; b.decoderLayers = 24; b.hidden = 1024; b.heads = 32; b.headDim = 128; b.ffn = 16384;
        b.ffnType = FfnType.RELU; b.vocab = 32128; b.tiedEmbeddings = true;
        return spec("t5-3b", 2_851_000_000L, ModelType.ENCODER_DECODER, b.build());
    }

    static TrainingOptions opts(String precision, String optimizer, Integer rank, List<String> targets, Integer zero, String offload) {
        return new TrainingOptions(precision == null ? null : TrainingOptions.Precision.parse(precision),
                optimizer == null ? null : TrainingOptions.Optimizer.parse(optimizer), null, rank, targets, zero,
                offload == null ? null : TrainingOptions.Offload.parse(offload), null, null, null);
    }

    static Estimate estimate(ModelSpec m, Mode mode, String quant, int context, int batch, int gpus, TrainingOptions t) {
        return MemoryEstimator.estimate(m, new Workload(mode, WeightFormat.parse(quant, null), context, batch, null,
                Runtime.TRANSFORMERS, null, gpus, t));
    }

    /** Weights + gradients + optimizer (+ adapters) held by one GPU: DeepSpeed's "model states". */
    static double modelStatesPerGpu(Estimate e) {
        double sum = 0;
        for (Part p : e.parts()) {
            if (p.component() == Component.WEIGHTS || p.component() == Component.GRADIENTS
                    || p.component() == Component.OPTIMIZER || p.component() == Component.ADAPTERS) {
                sum += p.perGpu() ? p.bytes().value() : p.bytes().value() / (double) e.workload().gpuCount();
            }
        }
        return sum;
    }

    // PEFT method_comparison/MetaMathQA, full-finetuning--llama-3.2-3B-lr_0.00001.json: pure bf16 AdamW,
    // "mem allocated avg" 26062803286 B after each optimizer step; validation README: 3.2127e9 x 8 B.
    @Test
    void pureBf16FullFineTuneIsEightBytesPerParameter() {
        Estimate e = estimate(llama32_3b(), Mode.TRAIN, "bf16", 768, 4, 1, opts("bf16-pure", null, null, null, null, null));
        assertThat(modelStatesPerGpu(e)).isEqualTo(8.0 * 3_212_749_824L);
        assertThat(modelStatesPerGpu(e)).isCloseTo(26_062_803_286.0, withPercentage(2));
        // Same run's torch peak (max_memory_reserved, CUDA context excluded): 37241225216 B. The estimate is
        // +12.1%, inside the 15% the accuracy set holds fine-tune peaks to: it holds three fp32 b·s·vocab
        // tensors at the loss (TrainingActivations.LOGIT_BYTES), which the independent set supports overall
        // (this run evidently freed one of them earlier), and each trained RMSNorm's fp32 input copy and bf16
        // output (6 B per element, LlamaRMSNorm).
        double peakWithoutContext = e.perGpuEven().value() - PyTorchRuntime.CUDA_CONTEXT_BYTES;
        assertThat(peakWithoutContext).isCloseTo(37_241_225_216.0, withPercentage(15));
        assertThat(peakWithoutContext).isGreaterThan(37_241_225_216.0);
    }

    // Same benchmark, lora--llama-3.2-3B-rank32.json: "9,175,040 trainable" for r 32 on q_proj, v_proj.
    @Test
    void loraTrainableParametersAreExact() {
        Estimate e = estimate(llama32_3b(), Mode.LORA, "bf16", 768, 4, 1, opts(null, null, 32, List.of("q_proj", "v_proj"), null, null));
        assertThat(e.trainableParameters()).isEqualTo(9_175_040L);
    }

    // DeepSpeed memory docs (validation case deepspeed-estimate-zero2-t5-3b-8gpu): estimate_zero2 prints
    // 15.93 GB (2^30) = (4P + 16P/8) per GPU and 5.31 GB = 2P with cpu_offload. Its formula serves stages 1
    // and 2; here stage 1 reproduces it and stage 2 also shards the 16-bit gradients (2P + 18P/N).
    @Test
    void zeroStagesMatchDeepSpeedEstimator() {
        long p = 2_851_000_000L;
        TrainingOptions z1 = opts("fp16-mixed", null, null, null, 1, null);
        assertThat(modelStatesPerGpu(estimate(t5_3b(), Mode.TRAIN, "fp16", 8, 1, 8, z1)) / Bytes.GIB).isCloseTo(15.93, offset(0.005));
        TrainingOptions z2 = opts("fp16-mixed", null, null, null, 2, null);
        assertThat(modelStatesPerGpu(estimate(t5_3b(), Mode.TRAIN, "fp16", 8, 1, 8, z2))).isCloseTo(2.0 * p + 18.0 * p / 8, offset(8.0));
        Estimate off = estimate(t5_3b(), Mode.TRAIN, "fp16", 8, 1, 8, opts("fp16-mixed", null, null, null, 2, "cpu"));
        assertThat(modelStatesPerGpu(off) / Bytes.GIB).isCloseTo(5.31, offset(0.005));
        assertThat(off.hostTotal().value()).isEqualTo(16L * p);
        // estimate_zero3 prints 6.10 GB = 4 x 32M (largest module) + 18P/8; the largest block here is 67M.
        Estimate z3 = estimate(t5_3b(), Mode.TRAIN, "fp16", 8, 1, 8, opts("fp16-mixed", null, null, null, 3, null));
        assertThat(modelStatesPerGpu(z3) / Bytes.GIB).isCloseTo(6.10, withPercentage(3));
    }

    // QLoRA paper §1: "reduces the average memory requirements of finetuning a 65B parameter model from
    // >780GB of GPU memory to <48GB" (780 GB = 65e9 x 12 B; mixed AdamW is 16 B, so more).
    @Test
    void qloraBringsLlama65bUnder48Gb() {
        ModelSpec m = llama1("llama-65b", 65_200_000_000L, 80, 8192, 64, 22016);
        Estimate full = estimate(m, Mode.TRAIN, "bf16", 2048, 1, 1, TrainingOptions.DEFAULTS);
        assertThat(modelStatesPerGpu(full)).isGreaterThan(780e9);
        // the paper's qlora.py: bf16 adapters, embeddings and head (--precision bf16-pure); its Figure 6 memory
        // breakdown is for a sequence of 512 tokens, batch 1
        Estimate q = estimate(m, Mode.QLORA, "nf4-dq", 512, 1, 1, opts("bf16-pure", null, null, null, null, null));
        assertThat(q.perGpuEven().value()).isLessThan(48_000_000_000L);
        assertThat(q.trainableParameters()).isEqualTo(80L * 64 * (4 * (8192 + 8192) + 3 * (8192 + 22016)));
    }

    // QLoRA paper / README: Guanaco 33B trains on a 24 GB consumer GPU; here at 1024 tokens, batch 1,
    // with the paper's r 64 on all linear layers, NF4 + double quantisation, paged 8-bit AdamW.
    @Test
    void qlora33bFitsA24GbCard() {
        ModelSpec m = llama1("llama-33b", 32_500_000_000L, 60, 6656, 52, 17920);
        Estimate q = estimate(m, Mode.QLORA, "nf4-dq", 1024, 1, 1, opts("bf16-pure", null, null, null, null, null));
        assertThat(q.perGpuEven().value()).isLessThan(24L * Bytes.GIB);
    }

    // Survey (from the PEFT README, T0_3B on an A100): full fine-tune ~48 GB (47.14 GB measured, fp32),
    // LoRA with DeepSpeed ~10 GB (9.8 GB measured). Short tweet sequences: 64 tokens, batch 8.
    @Test
    void threeBillionFullFineTuneVersusLoraWithDeepSpeed() {
        Estimate full = estimate(t5_3b(), Mode.TRAIN, "fp32", 64, 8, 1, opts("fp32", null, null, null, null, null));
        double fullGb = (full.perGpuEven().value() - PyTorchRuntime.CUDA_CONTEXT_BYTES) / 1e9;
        assertThat(fullGb).isCloseTo(47.14, withPercentage(15));
        Estimate lora = estimate(t5_3b(), Mode.LORA, "bf16", 64, 8, 1, opts(null, null, 8, List.of("q", "v"), 3, "cpu"));
        assertThat(lora.perGpuEven().gb()).isLessThan(10.0);
        assertThat(fullGb / lora.perGpuEven().gb()).isGreaterThan(4);
    }

    // Korthikanti et al. 2022 §4.1: s·b·h·(34 + 5as/h) per layer; with no dropout masks (2 of the 34) an
    // MHA block with a 4h GELU MLP gives 32 + 5as/h; full checkpointing keeps 2sbh per layer + one layer.
    @Test
    void activationsFollowKorthikanti() {
        Architecture.Builder b = Architecture.builder();
        b.layers = 24; b.hidden = 2048; b.heads = 16; b.ffn = 8192; b.ffnType = FfnType.GELU; b.vocab = 50000;
        Architecture a = b.build();
        int s = 1024, bt = 2, h = 2048, heads = 16, layers = 24;
        var all = EnumSet.allOf(LinearModules.Group.class);
        double perLayer = (double) s * bt * h * (32 + 5.0 * heads * s / h);
        double head = 2.0 * s * bt * h * 2;
        assertThat(TrainingActivations.compute(a, ModelType.DECODER, s, bt, false, TrainingOptions.Checkpointing.NONE, all, 2, 0)
                .bytes().value()).isCloseTo((long) (layers * perLayer + head), offset(2L));
        // The head inputs are freed before the last layer is recomputed (autograd liveness): the larger one counts.
        double full = layers * 2.0 * s * bt * h + Math.max(perLayer, head);
        assertThat(TrainingActivations.compute(a, ModelType.DECODER, s, bt, false, TrainingOptions.Checkpointing.FULL, all, 2, 0)
                .bytes().value()).isCloseTo((long) full, offset(2L));
        // FlashAttention removes the 5as/h term.
        assertThat(TrainingActivations.compute(a, ModelType.DECODER, s, bt, true, TrainingOptions.Checkpointing.NONE, all, 2, 0)
                .bytes().value()).isCloseTo((long) (layers * (double) s * bt * h * 32 + head), offset(2L));
    }

    // PEFT AdaLoraConfig: init_r 12 (1.5 x target_r 8); lora_A r x in, lora_B out x r, lora_E r x 1.
    @Test
    void adaloraStartsAtOneAndAHalfTimesTheTargetRank() {
        Estimate e = estimate(llama32_3b(), Mode.ADALORA, "bf16", 512, 1, 1, TrainingOptions.DEFAULTS);
        assertThat(e.trainableParameters()).isEqualTo(28L * 12 * ((3072 + 3072 + 1) + (3072 + 1024 + 1)));
    }

    // PEFT PromptEmbedding: num_virtual_tokens x token_dim; PrefixEncoder: n x layers x 2 x kv width.
    @Test
    void promptAndPrefixTrainableParameters() {
        assertThat(estimate(llama32_3b(), Mode.PROMPT, "bf16", 512, 1, 1, TrainingOptions.DEFAULTS).trainableParameters())
                .isEqualTo(20L * 3072);
        assertThat(estimate(llama32_3b(), Mode.PREFIX, "bf16", 512, 1, 1, TrainingOptions.DEFAULTS).trainableParameters())
                .isEqualTo(20L * 28 * 2 * 1024);
    }

    @Test
    void badTrainingInputIsAUsageError() {
        ModelSpec m = llama32_3b();
        assertThatThrownBy(() -> estimate(m, Mode.LORA, "bf16", 512, 1, 1, opts(null, null, 0, null, null, null)))
                .isInstanceOf(LlmplanException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> estimate(m, Mode.LORA, "bf16", 512, 1, 1, opts(null, null, 2048, null, null, null)))
                .isInstanceOf(LlmplanException.class).hasMessageContaining("larger than v_proj (3072 x 1024)");
        assertThatThrownBy(() -> estimate(m, Mode.LORA, "bf16", 512, 1, 1, opts(null, null, 8, List.of("c_fc2"), null, null)))
                .isInstanceOf(LlmplanException.class)
                .hasMessageContaining("q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");
        assertThatThrownBy(() -> estimate(m, Mode.TRAIN, "bf16", 512, 1, 1, opts(null, null, null, null, null, "cpu")))
                .isInstanceOf(LlmplanException.class).hasMessageContaining("needs ZeRO");
        for (Throwable t : List.of(catchUsage(m))) {
            assertThat(((LlmplanException) t).kind()).isEqualTo(LlmplanException.Kind.INVALID_REQUEST);
        }
        Estimate z3 = estimate(m, Mode.TRAIN, "bf16", 512, 1, 1, opts(null, null, null, null, 3, null));
        assertThat(z3.assumptions()).anyMatch(s -> s.contains("ZeRO-3 on one GPU"));
    }

    private static Throwable catchUsage(ModelSpec m) {
        try {
            estimate(m, Mode.LORA, "bf16", 512, 1, 1, opts(null, null, 0, null, null, null));
        } catch (LlmplanException e) {
            return e;
        }
        throw new AssertionError("no exception");
    }
}
