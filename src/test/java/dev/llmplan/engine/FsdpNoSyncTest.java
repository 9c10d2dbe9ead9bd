package dev.llmplan.engine;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PyTorch FSDP ({@code {zero} fsdp}) against DeepSpeed's ZeRO-3 ({@code {zero} 3}) under gradient accumulation. torch's
 * {@code FullyShardedDataParallel.no_sync}: "FSDP will accumulate the full model gradients (instead of gradient
 * shards) until the eventual sync"; accelerate (FSDP1 model.no_sync) and Lightning Fabric run accumulating
 * micro-batches under it. DeepSpeed partitions each gradient as it is produced and has no such context. Llama 2 7B,
 * 6,738,415,616 parameters, full fine-tune on 4 GPUs.
 */
class FsdpNoSyncTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();
    private static final long P = 6_738_415_616L;

    private static Estimate fullFineTune(int zeroStage, TrainingOptions.Precision precision, Integer accumulation) {
        return fullFineTune(zeroStage, precision, accumulation, null);
    }

    private static Estimate fullFineTune(int zeroStage, TrainingOptions.Precision precision, Integer accumulation,
                                         TrainingOptions.Trainer trainer) {
        TrainingOptions t = new TrainingOptions(precision, TrainingOptions.Optimizer.ADAMW,
                TrainingOptions.Checkpointing.FULL, null, null, zeroStage, null, null, null, null, null, null, accumulation,
                trainer);
        Workload w = new Workload(Mode.TRAIN, WeightFormat.parse("bf16", null), 2048, 1, null, null, null, 4, t,
                Serving.DEFAULTS);
        return MemoryEstimator.estimate(CATALOG.model("llama-2-7b"), w);
    }

    /** The gradients kept across the step: FSDP's unsharded ones of the backward ({@link FsdpUnits}) left out. */
    private static long gradients(Estimate e) {
        return e.component(Component.GRADIENTS).value() - StepTransients.gradients(e);
    }

    @Test
    void fsdpAccumulatesWholeGradientsAndDeepSpeedDoesNot() {
        // bf16-pure: FSDP under accumulation holds 2 B x P on each of the 4 GPUs; DeepSpeed and FSDP without
        // accumulation shard the same 2 B x P over them.
        assertThat(gradients(fullFineTune(TrainingOptions.FSDP_STAGE, TrainingOptions.Precision.BF16_PURE, 4)))
                .isEqualTo(4 * 2 * P);
        assertThat(gradients(fullFineTune(3, TrainingOptions.Precision.BF16_PURE, 4))).isEqualTo(2 * P);
        assertThat(gradients(fullFineTune(TrainingOptions.FSDP_STAGE, TrainingOptions.Precision.BF16_PURE, 1)))
                .isEqualTo(2 * P);
        assertThat(fullFineTune(3, TrainingOptions.Precision.BF16_PURE, 4).parts())
                .noneMatch(p -> p.formula().contains("no_sync") || p.formula().startsWith(KeptGradients.LABEL));
    }

    @Test
    void mixedPrecisionFsdpAccumulatesTheSixteenBitGradient() {
        // bf16-mixed: the whole 16-bit gradient (2 B x P on every GPU) beside the sharded fp32 gradient (4 B x P over
        // the GPUs); DeepSpeed keeps only the fp32 partition.
        Estimate fsdp = fullFineTune(TrainingOptions.FSDP_STAGE, TrainingOptions.Precision.BF16_MIXED, 4);
        assertThat(gradients(fsdp)).isEqualTo(4 * 2 * P + 4 * P);
        assertThat(gradients(fullFineTune(3, TrainingOptions.Precision.BF16_MIXED, 4))).isEqualTo(4 * P);
        assertThat(fsdp.parts()).anyMatch(p -> p.formula().contains("fp32 gradient partition") && p.formula().contains("FSDP"));
        // Pure bf16 is not priced above mixed precision: mixed adds fp32 master weights and moments.
        assertThat(fsdp.total().value())
                .isGreaterThan(fullFineTune(TrainingOptions.FSDP_STAGE, TrainingOptions.Precision.BF16_PURE, 4).total().value());
    }

    @Test
    void aTrainerThatOnlyShardsWithFsdpTakesStageThreeAsFsdp() {
        // LitGPT's Fabric shards with FSDP alone (and runs accumulation under no_sync, finetune/full.py): {zero} 3 and
        // {zero} fsdp are the same run, priced and labelled alike.
        Estimate three = fullFineTune(3, TrainingOptions.Precision.BF16_PURE, 4, TrainingOptions.Trainer.LITGPT);
        Estimate fsdp = fullFineTune(TrainingOptions.FSDP_STAGE, TrainingOptions.Precision.BF16_PURE, 4,
                TrainingOptions.Trainer.LITGPT);
        assertThat(three.perGpuEven().value()).isEqualTo(fsdp.perGpuEven().value());
        assertThat(gradients(three)).isEqualTo(4 * 2 * P);
        assertThat(three.workload().training().shardsWithFsdp(Mode.TRAIN)).isTrue();
        assertThat(fullFineTune(3, TrainingOptions.Precision.BF16_PURE, 4).workload().training().shardsWithFsdp(Mode.TRAIN))
                .isFalse();
    }
}
