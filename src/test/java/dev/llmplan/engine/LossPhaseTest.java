package dev.llmplan.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

/**
 * The peak of a checkpointed training step: the loss and the recomputed layer are never alive together, the loss's
 * bytes per logit follow the transformers release, and the caching allocator's reserve is stated, not added.
 */
class LossPhaseTest {
    /** mistralai/Mistral-7B-v0.1 config.json: 32 x 4096, 32 heads, 8 KV heads, ffn 14336, vocab 32000. */
    static ModelSpec mistral7b() {
        Architecture.Builder b = Architecture.builder();
        b.layers = 32; b.hidden = 4096; b.heads = 32; b.kvHeads = 8; b.headDim = 128; b.ffn = 14336;
        b.ffnType = FfnType.SWIGLU; b.vocab = 32000; b.tiedEmbeddings = false; b.maxContext = 32768;
        return TrainingModelTest.spec("mistral-7b", 7_241_732_096L, ModelType.DECODER, b.build());
    }

    private static Estimate lora(int batch, Runtime runtime) {
        TrainingOptions t = new TrainingOptions(TrainingOptions.Precision.BF16_PURE, TrainingOptions.Optimizer.ADAMW,
                TrainingOptions.Checkpointing.FULL, 16, List.of("q_proj", "k_proj", "v_proj", "o_proj"), null, null,
                null, null, null, 0.1, null, null, null);
        return MemoryEstimator.estimate(mistral7b(), new Workload(Mode.LORA, WeightFormat.parse("bf16", null), 4096,
                batch, null, runtime, true, 1, t));
    }

    private static long activations(Estimate e) {
        return e.component(Component.ACTIVATIONS).value();
    }

    /**
     * fms-acceleration's reference benchmarks (scripts/benchmarks/refs/a100_80gb.csv, transformers 4.48.1): Mistral-7B
     * LoRA r16 on q, k, v, o, packed 4096-token sequences, full checkpointing, peak torch allocated 26,704,571,904 B
     * at batch 4 and 38,742,912,512 B at batch 8 (model states 14,664,493,056 B): 12.04 GB more for 16,384 more
     * tokens, 735 KB per token, and batch 4's 12.04 GB above the model states leaves no constant. The checkpoints (32 x 4096 x 2 B), the head inputs (2 x 4096 x 2 B) and the loss at 14 B per logit
     * (bf16 logits, their fp32 upcast, its shifted copy and the log-probabilities) give 726,528 B; a recomputed layer
     * on top would give about 200 KB more.
     */
    @Test
    void theLossAndTheRecomputedLayerAreNeverAliveTogether() {
        Runtime v448 = Runtime.TRANSFORMERS.withVersion(RuntimeVersion.parse("4.48"));
        long perToken = (activations(lora(8, v448)) - activations(lora(4, v448))) / (4L * 4096);
        assertThat(perToken).isEqualTo(32L * 4096 * 2 + 2L * 4096 * 2 + 14L * 32000);
        double measured = (38_742_912_512.0 - 26_704_571_904.0) / (4 * 4096);
        assertThat((double) perToken).isCloseTo(measured, withPercentage(2));
    }

    /**
     * transformers 4.46 moved the fp32 upcast into ForCausalLMLoss (PR #33902) while the model still returns its
     * 16-bit logits, and 4.49 dropped the loss's shifted copy (PR #35646): 12, 14, 12 B per logit.
     */
    @Test
    void bytesPerLogitFollowTheTransformersRelease() {
        assertThat(Runtime.TRANSFORMERS.withVersion(RuntimeVersion.parse("4.45")).lossBytesPerLogit()).isEqualTo(12);
        assertThat(Runtime.TRANSFORMERS.withVersion(RuntimeVersion.parse("4.46")).lossBytesPerLogit()).isEqualTo(14);
        assertThat(Runtime.TRANSFORMERS.withVersion(RuntimeVersion.parse("4.48.1")).lossBytesPerLogit()).isEqualTo(14);
        assertThat(Runtime.TRANSFORMERS.withVersion(RuntimeVersion.parse("4.49")).lossBytesPerLogit()).isEqualTo(12);
        assertThat(Runtime.TRANSFORMERS.lossBytesPerLogit()).isEqualTo(12);
        long current = activations(lora(4, Runtime.TRANSFORMERS));
        long v448 = activations(lora(4, Runtime.TRANSFORMERS.withVersion(RuntimeVersion.parse("4.48"))));
        assertThat(v448 - current).isEqualTo(4L * 4096 * 32000 * 2);
    }

    /**
     * GMLake's 15% of reserved memory left fragmented: nvidia-smi shows allocated / 0.85 plus the CUDA context, which
     * the estimate states while its total (what must fit) stays the tensors plus the context.
     */
    @Test
    void theAllocatorReserveIsStatedNotAdded() {
        Estimate e = lora(4, Runtime.TRANSFORMERS);
        long context = PyTorchRuntime.CUDA_CONTEXT_BYTES;
        double tensors = e.perGpuEven().value() - context;
        assertThat(e.component(Component.OVERHEAD).value()).isEqualTo(context);
        String shown = Fmt.format("%.1f GiB", (tensors / 0.85 + context) / Bytes.GIB);
        assertThat(e.assumptions()).anyMatch(a -> a.contains("nvidia-smi to show about " + shown));
        Estimate inference = MemoryEstimator.estimate(mistral7b(), new Workload(Mode.INFERENCE,
                WeightFormat.parse("bf16", null), 4096, 1, null, Runtime.TRANSFORMERS, true, 1, TrainingOptions.DEFAULTS));
        assertThat(inference.assumptions()).noneMatch(a -> a.contains("caching allocator"));
    }

    private static Estimate fullFineTune(int batch, int gpus, Integer accumulation, String version) {
        TrainingOptions t = new TrainingOptions(TrainingOptions.Precision.BF16_PURE, TrainingOptions.Optimizer.ADAMW,
                TrainingOptions.Checkpointing.FULL, null, null, gpus > 1 ? TrainingOptions.FSDP_STAGE : null, null, null,
                null, null, null, null, accumulation, null);
        Runtime runtime = version == null ? Runtime.TRANSFORMERS : Runtime.TRANSFORMERS.withVersion(RuntimeVersion.parse(version));
        return MemoryEstimator.estimate(mistral7b(), new Workload(Mode.TRAIN, WeightFormat.parse("bf16", null), 4096,
                batch, null, runtime, true, gpus, t));
    }

    private static double tensorsPerGpu(Estimate e) {
        return e.perGpuEven().value() - PyTorchRuntime.CUDA_CONTEXT_BYTES;
    }

    /**
     * fms-acceleration (a100_80gb.csv, transformers 4.48.1, gradient_accumulation 1): Mistral-7B full fine-tune in pure
     * bf16, peak torch allocated 72,434,837,504 B at batch 4 and 72,435,230,720 B at batch 8 (lines 6 and 8), the same:
     * the peak is the optimizer step, bf16 weights and both moments (6 B x 7.24B) plus the gradients and the foreach
     * step's sqrt(v) (2 B x 7.24B each) = 10 B per parameter, where neither batch's activations reach. On two GPUs
     * (FSDP) 36,225,939,968 B: all of it sharded; the estimate keeps ZeRO-3's gather buffer (2 B x 2 x the 218M
     * parameters of the largest block, 0.87 GB) on top, which the step does not use: +2.4%.
     */
    @Test
    void aFullFineTunePeaksAtTheOptimizerStepWithoutAccumulation() {
        double one = tensorsPerGpu(fullFineTune(4, 1, 1, "4.48"));
        assertThat(one).isCloseTo(10.0 * 7_241_732_096L, withPercentage(0.1));
        assertThat(tensorsPerGpu(fullFineTune(8, 1, 1, "4.48"))).isEqualTo(one);
        assertThat(one).isCloseTo(72_434_837_504.0, withPercentage(1));
        assertThat(tensorsPerGpu(fullFineTune(2, 2, 1, "4.48"))).isCloseTo(36_225_939_968.0, withPercentage(3));
        // Under accumulation the gradients meet every forward: weights, moments, gradients and the activations.
        Estimate accumulating = fullFineTune(8, 1, null, "4.48");
        assertThat(tensorsPerGpu(accumulating)).isGreaterThan(one);
        assertThat(accumulating.assumptions()).anyMatch(a -> a.contains("{gradAccumulation} 1") || a.contains("--grad-accumulation 1"));
        // transformers' default optimizer from 4.54 is the fused kernel: no step temporary.
        assertThat(OptimizerStep.bytes(fullFineTune(4, 1, 1, null))).isZero();
        assertThat(OptimizerStep.bytes(fullFineTune(4, 1, 1, "4.31"))).isZero();
        assertThat(OptimizerStep.bytes(fullFineTune(4, 1, 1, "4.48"))).isEqualTo(2L * 7_241_732_096L);
    }

    /**
     * TRL's SFTTrainer runs prepare_model_for_kbit_training and then, training in bf16, casts the embeddings and the
     * head back to bf16 and keeps the norms in fp32 (trl peft_module_casting_to_bf16). fms-acceleration's Mistral-7B
     * QLoRA baseline on one GPU (TRL SFTTrainer, nf4 with double quantisation, r16 on q, k, v, o) holds 4,307,028,992 B
     * after its train stage (a100_80gb.csv line 58): the nf4 base, fp32 norms, fp32 adapters and their AdamW states.
     */
    @Test
    void trlCastsTheEmbeddingsAndHeadBackToBf16() {
        TrainingOptions trl = new TrainingOptions(TrainingOptions.Precision.BF16_MIXED, TrainingOptions.Optimizer.ADAMW,
                TrainingOptions.Checkpointing.FULL, 16, List.of("q_proj", "k_proj", "v_proj", "o_proj"), null, null,
                null, null, null, 0.1, null, null, TrainingOptions.Trainer.TRL);
        TrainingOptions hf = new TrainingOptions(TrainingOptions.Precision.BF16_MIXED, TrainingOptions.Optimizer.ADAMW,
                TrainingOptions.Checkpointing.FULL, 16, List.of("q_proj", "k_proj", "v_proj", "o_proj"), null, null,
                null, null, null, 0.1, null, null, null);
        Estimate withTrl = qlora(trl);
        Estimate peft = qlora(hf);
        long embeddingAndHeadParams = 2L * 32_000 * 4096; // the upcast adds 2 B to each
        assertThat(peft.component(Component.WEIGHTS).value() - withTrl.component(Component.WEIGHTS).value())
                .isEqualTo(2L * embeddingAndHeadParams);
        double states = withTrl.component(Component.WEIGHTS).value() + withTrl.component(Component.OPTIMIZER).value()
                + withTrl.component(Component.ADAPTERS).value();
        assertThat(states).isCloseTo(4_307_028_992.0, withPercentage(1));
        // TRL recasts only a 4-bit model (args.bf16 and is_loaded_in_4bit): an 8-bit base keeps PEFT's upcast.
        Estimate int8Trl = MemoryEstimator.estimate(mistral7b(), new Workload(Mode.LORA, WeightFormat.parse("int8", null),
                4096, 4, null, Runtime.TRANSFORMERS, true, 1, trl));
        Estimate int8Hf = MemoryEstimator.estimate(mistral7b(), new Workload(Mode.LORA, WeightFormat.parse("int8", null),
                4096, 4, null, Runtime.TRANSFORMERS, true, 1, hf));
        assertThat(int8Trl.component(Component.WEIGHTS)).isEqualTo(int8Hf.component(Component.WEIGHTS));
    }

    private static Estimate qlora(TrainingOptions t) {
        return MemoryEstimator.estimate(mistral7b(), new Workload(Mode.QLORA, WeightFormat.parse("nf4-dq", null), 4096, 4,
                null, Runtime.TRANSFORMERS.withVersion(RuntimeVersion.parse("4.48")), true, 1, t));
    }

    /**
     * Between steps neither ZeRO-3 / FSDP's gathered parameters nor the step's temporary exist: StepTransients names
     * both, per GPU times the GPUs. A frozen bf16 Mistral-7B under FSDP on two GPUs gathers its largest block (four
     * attention projections, three MLP matrices and two norms: 218,112,000 parameters) at 2 B; fms-acceleration's
     * two-GPU LoRA model states, about 7.37 GB per GPU after the train stage, are the sharded weights and the adapters'
     * states only.
     */
    @Test
    void stepTransientsAreTheGatherBufferAndTheStepTemporary() {
        TrainingOptions fsdp = new TrainingOptions(TrainingOptions.Precision.BF16_PURE, TrainingOptions.Optimizer.ADAMW,
                TrainingOptions.Checkpointing.FULL, 16, List.of("q_proj", "k_proj", "v_proj", "o_proj"), 3, null, null,
                null, null, null, null, 1, null);
        Estimate e = MemoryEstimator.estimate(mistral7b(), new Workload(Mode.LORA, WeightFormat.parse("bf16", null), 4096,
                2, null, Runtime.TRANSFORMERS, true, 2, fsdp));
        long largestBlock = 2L * 4096 * 4096 + 2L * 4096 * 1024 + 3L * 4096 * 14336 + 2L * 4096;
        assertThat(StepTransients.bytes(e)).isEqualTo(2L * 2 * largestBlock);
        assertThat(OptimizerStep.bytes(e)).isZero();
    }

    /**
     * fms-acceleration (a100_80gb.csv, torch 2.4.1, accelerate 1.0.1, transformers 4.48.1): the Mistral-7B full fine-tune
     * in pure bf16 over two GPUs (accelerate FSDP FULL_SHARD, whose launcher turns use_orig_params on by default) holds
     * 28,984,396,288 B on rank 0 after its train stage. The Trainer's zero_grad set the original parameters' gradients
     * to None, but each FlatParameter keeps its gradient shard until the next root pre-forward
     * (FlatParamHandle._reset_flat_param_grad_info_if_needed): bf16 weights, both bf16 moments and the bf16 gradient,
     * all halved, 4 B x 7,241,732,096 / 2 x 2 = 28,966,928,384 B, 0.06% under the measurement (without the shard,
     * 21,725,196,288 B: -25%). A single GPU without FSDP, and DeepSpeed's ZeRO-3, keep none.
     */
    @Test
    void fsdpKeepsTheGradientShardAfterZeroGrad() {
        long p = 7_241_732_096L;
        Estimate fsdp = fullFineTune(4, 2, 1, "4.48");
        assertThat(KeptGradients.bytes(fsdp)).isEqualTo(2L * p);
        double betweenSteps = (fsdp.component(Component.WEIGHTS).value() + fsdp.component(Component.OPTIMIZER).value()
                - StepTransients.bytes(fsdp) + KeptGradients.bytes(fsdp)) / 2.0;
        assertThat(betweenSteps).isEqualTo(4.0 * p);
        assertThat(betweenSteps).isCloseTo(28_984_396_288.0, withPercentage(0.1));
        assertThat(fsdp.assumptions()).anyMatch(a -> a.contains("gradient shard after the Trainer's zero_grad"));
        assertThat(fsdp.parts()).anyMatch(part -> part.component() == Component.GRADIENTS
                && part.formula().startsWith(KeptGradients.LABEL) && part.source().contains("_reset_flat_param_grad_info"));
        // The shard is freed before the next forward's activations: the peak is the same as before.
        assertThat(tensorsPerGpu(fsdp)).isCloseTo(36_225_939_968.0, withPercentage(3));
        assertThat(KeptGradients.bytes(fullFineTune(4, 1, 1, "4.48"))).isZero();
        assertThat(KeptGradients.bytes(MemoryEstimator.estimate(mistral7b(), fsdp.workload().withTraining(
                fsdp.workload().training().withZeroStage(3))))).isZero();
    }
}
