package dev.llmplan.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The error-band kinds: which measured runs an estimate's band is taken from, and in what order they pool. */
class EstimateKindTest {

    @Test
    void eachKindIsFollowedByTheSameKindAtTheEstimatesScale() {
        assertThat(EstimateKind.chain("transformers/qlora/bitsandbytes/multi-gpu")).containsExactly(
                "transformers/qlora/bitsandbytes", "transformers/qlora/bitsandbytes/multi-gpu",
                "transformers/qlora", "transformers/qlora/multi-gpu", "qlora", "qlora/multi-gpu");
    }

    @Test
    void coarserKeysChainToTheirOwnCoarserKeys() {
        assertThat(EstimateKind.chain("vllm/inference/one-gpu"))
                .containsExactly("vllm/inference", "vllm/inference/one-gpu", "inference", "inference/one-gpu");
        assertThat(EstimateKind.chain("lora/multi-gpu")).containsExactly("lora", "lora/multi-gpu");
        assertThat(EstimateKind.chain("vllm/inference/float")).containsExactly("vllm/inference/float", "vllm/inference", "inference");
        assertThat(EstimateKind.chain("train")).containsExactly("train");
    }

    @Test
    void aKeyReadsAsItsRuntimeModeFormatAndScale() {
        assertThat(EstimateKind.describe("transformers/qlora/bitsandbytes/multi-gpu"))
                .isEqualTo("transformers qlora, bitsandbytes on several GPUs");
        assertThat(EstimateKind.describe("vllm/inference/one-gpu")).isEqualTo("vllm inference on one GPU");
        assertThat(EstimateKind.describe("lora")).isEqualTo("lora");
    }

    @Test
    void theScaleIsHowManyGpusTheRunSpans() {
        assertThat(EstimateKind.scale(1)).isEqualTo("one-gpu");
        assertThat(EstimateKind.scale(2)).isEqualTo("multi-gpu");
    }
}
