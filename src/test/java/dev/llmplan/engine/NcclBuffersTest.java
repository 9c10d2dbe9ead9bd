package dev.llmplan.engine;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NCCL's buffers on every GPU of a multi-GPU training run ({@link NcclBuffers}), against NVIDIA/nccl#964: with PyTorch
 * on A100s over NVLink, a two-GPU group took 544 MiB per GPU and a larger group 688 MiB on rank 0.
 */
class NcclBuffersTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();
    private static final long MIB = 1024L * 1024;

    @Test
    void twoGpusTakeWhatIssue964Measured() {
        // 24 channels x (10 + 2) MiB of ring buffers (LL 0.5 + LL128 4.6875 + SIMPLE 4 MiB + 4 KiB, rounded to
        // 2 MiB, and a 4 KiB send side rounded to 2 MiB) + 32 x 16 x 512 KiB proxy buffer = 288 + 256 = 544 MiB.
        assertThat(NcclBuffers.bytes(2)).isEqualTo(544 * MIB);
    }

    @Test
    void largerGroupsAddTheTreeChainsSecondPair() {
        // A middle rank of the tree chain connects once more each way: 24 x 12 MiB more, 832 MiB. Rank 0, the chain's
        // end, adds only a receive (6 MiB a channel with P2P read on A100): 544 + 144 = 688 MiB, #964's figure.
        assertThat(NcclBuffers.bytes(4)).isEqualTo(832 * MIB);
        assertThat(NcclBuffers.bytes(4) - NcclBuffers.CHANNELS * 6 * MIB).isEqualTo(688 * MIB);
        assertThat(NcclBuffers.bytes(8)).isEqualTo(NcclBuffers.bytes(4));
    }

    @Test
    void oneGpuHasNoCommunicator() {
        assertThat(NcclBuffers.bytes(1)).isZero();
        assertThat(nccl(estimate(1))).isNull();
    }

    @Test
    void aMultiGpuTrainingEstimateCarriesItAsOverheadOnEveryGpu() {
        Part p = nccl(estimate(2));
        assertThat(p).isNotNull();
        assertThat(p.component()).isEqualTo(Component.OVERHEAD);
        assertThat(p.perGpu()).isTrue();
        assertThat(p.bytes().value()).isEqualTo(544 * MIB);
        // The overhead of two GPUs: each one's CUDA context and its buffers.
        assertThat(estimate(2).component(Component.OVERHEAD).value())
                .isEqualTo(2 * (PyTorchRuntime.CUDA_CONTEXT_BYTES + 544 * MIB));
    }

    private static Part nccl(Estimate e) {
        return e.parts().stream().filter(p -> p.formula().startsWith("NCCL communicator buffers")).findFirst()
                .orElse(null);
    }

    private static Estimate estimate(int gpus) {
        TrainingOptions t = new TrainingOptions(TrainingOptions.Precision.BF16_MIXED, TrainingOptions.Optimizer.ADAMW,
                TrainingOptions.Checkpointing.FULL, 16, List.of("q_proj", "v_proj"), TrainingOptions.FSDP_STAGE,
                null, null, null, null, 0.1, null, 1, null);
        Workload w = new Workload(Mode.LORA, WeightFormat.parse("bf16", null), 2048, 2, null,
                Runtime.parse("transformers@4.48"), true, gpus, t, Serving.DEFAULTS);
        return MemoryEstimator.estimate(CATALOG.model("mistral-7b"), w);
    }
}
