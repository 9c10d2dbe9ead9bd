package dev.llmplan.engine;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Routed experts kept in host memory (llama.cpp --cpu-moe / --n-cpu-moe): which tensors move (the
 * override pattern blk.i.ffn_(up|down|gate)_exps of common/common.h), how many bytes, and what a
 * token reads of them.
 */
class HostExpertsTest {
    static final Catalog CATALOG = CatalogLoader.builtin();

    static Workload llamaCpp(String quant, Integer cpuMoe) {
        return new Workload(Mode.INFERENCE, WeightFormat.parse(quant, null), 4096, 1, null, Runtime.LLAMA_CPP, null, 1,
                null, new Serving(null, null, null, null, false, cpuMoe, null, null, null));
    }

    @Test
    void everyMixtralExpertMovesAndTheWeightsAreConserved() {
        ModelSpec mixtral = CATALOG.model("mixtral-8x7b");
        Estimate none = MemoryEstimator.estimate(mixtral, llamaCpp("fp16", null));
        Estimate all = MemoryEstimator.estimate(mixtral, llamaCpp("fp16", Serving.ALL_LAYERS));
        // Mixtral config.json: 32 layers x 8 experts x 3 matrices x 4096 x 14336 = 45,097,156,608 expert parameters,
        // at 2 bytes in fp16 (the block tensors are scaled to the published total, within 1% here).
        double expertParams = 32L * 8 * 3 * 4096 * 14336;
        assertThat(all.hostExperts().bytes().value() / 2.0).isCloseTo(expertParams, within(expertParams * 0.01));
        assertThat(all.hostExperts().layers()).isEqualTo(32);
        // Nothing is lost: what leaves the GPU is what the host holds.
        assertThat(all.component(Component.WEIGHTS).value() + all.hostExperts().bytes().value())
                .isCloseTo(none.component(Component.WEIGHTS).value(), within(2L));
        assertThat(all.hostTotal().value() - none.hostTotal().value()).isEqualTo(all.hostExperts().bytes().value());
        // A token is routed to 2 of the 8 experts of every block (num_experts_per_tok 2).
        assertThat(all.hostExperts().readPerToken().value() * 4.0)
                .isCloseTo(all.hostExperts().bytes().value(), within(4.0));
        // The KV cache stays on the GPU.
        assertThat(all.component(Component.KV_CACHE)).isEqualTo(none.component(Component.KV_CACHE));
    }

    @Test
    void nCpuMoeMovesTheFirstBlocksOnly() {
        ModelSpec mixtral = CATALOG.model("mixtral-8x7b");
        Estimate all = MemoryEstimator.estimate(mixtral, llamaCpp("q4_k_m", Serving.ALL_LAYERS));
        Estimate half = MemoryEstimator.estimate(mixtral, llamaCpp("q4_k_m", 16));
        assertThat(half.hostExperts().layers()).isEqualTo(16);
        assertThat(half.hostExperts().bytes().value() * 2.0).isCloseTo(all.hostExperts().bytes().value(), within(4.0));
        Estimate zero = MemoryEstimator.estimate(mixtral, llamaCpp("q4_k_m", 0));
        assertThat(zero.hostExperts()).isEqualTo(Estimate.HostExperts.NONE);
    }

    @Test
    void deepSeekKeepsDenseBlocksSharedExpertsAndTheRouterOnTheGpu() {
        ModelSpec ds = CATALOG.model("deepseek-v3");
        // first_k_dense_replace = 3 (DeepSeek-V3 config.json): blocks 0-2 have no routed experts to move.
        assertThat(MemoryEstimator.estimate(ds, llamaCpp("q4_k_m", 3)).hostExperts().layers()).isZero();
        assertThat(MemoryEstimator.estimate(ds, llamaCpp("q4_k_m", 4)).hostExperts().layers()).isEqualTo(1);
        Estimate all = MemoryEstimator.estimate(ds, llamaCpp("fp16", Serving.ALL_LAYERS));
        // 58 MoE blocks x 256 routed experts x 3 x 7168 x 2048 (n_routed_experts, moe_intermediate_size), fp16.
        double routed = 58L * 256 * 3 * 7168 * 2048;
        assertThat(all.hostExperts().bytes().value() / 2.0).isCloseTo(routed, within(routed * 0.02));
        // The GPU keeps attention, the shared expert (1 x 3 x 7168 x 2048 per block), the dense blocks and the
        // router: at least the shared experts' bytes.
        double shared = 58L * 3 * 7168 * 2048 * 2.0;
        assertThat((double) all.component(Component.WEIGHTS).value()).isGreaterThan(shared);
        // 8 of 256 experts per token.
        assertThat(all.hostExperts().readPerToken().value() * 32.0)
                .isCloseTo(all.hostExperts().bytes().value(), within(64.0));
    }

    @Test
    void aDenseModelMovesNothingAndSaysSo() {
        Estimate e = MemoryEstimator.estimate(CATALOG.model("llama-2-7b"), llamaCpp("q4_k_m", Serving.ALL_LAYERS));
        assertThat(e.hostExperts().layers()).isZero();
        assertThat(e.warnings()).anyMatch(w -> w.contains("no routed experts"));
    }

    @Test
    void expertsOnTheCpuAreALlamaCppPlacement() {
        Workload w = llamaCpp("fp16", Serving.ALL_LAYERS);
        Workload transformers = new Workload(Mode.INFERENCE, w.format(), 4096, 1, null, Runtime.TRANSFORMERS, null, 1, null,
                w.serving());
        assertThatThrownBy(() -> MemoryEstimator.estimate(CATALOG.model("mixtral-8x7b"), transformers))
                .isInstanceOf(LlmplanException.class).hasMessageContaining("{runtime} llama.cpp");
    }
}
