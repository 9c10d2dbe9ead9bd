package dev.llmplan.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog's activeParameters convention (README): an MoE token uses its routed experts, every shared
 * weight and the output head, but not the input embedding, whose lookup reads one row. OpenAI's gpt-oss
 * and DeepSeek-V2-Lite publish their active counts this way.
 */
class ActiveParametersTest {
    /** Mixtral-8x7B's config.json shape (mistralai/Mixtral-8x7B-v0.1). */
    static ModelSpec mixtral(Long stated) {
        Architecture.Builder b = Architecture.builder();
        b.layers = 32; b.hidden = 4096; b.heads = 32; b.kvHeads = 8; b.headDim = 128; b.ffn = 14336;
        b.ffnType = FfnType.SWIGLU; b.vocab = 32000; b.tiedEmbeddings = false; b.experts = 8; b.expertsPerToken = 2;
        return new ModelSpec("mixtral", "Mixtral", List.of(), null, null, null, null, true, ModelType.DECODER,
                46_702_792_704L, stated, null, "bf16", null, "test", null, b.build(), ModelSpec.Origin.CATALOG, null);
    }

    @Test
    void anMoeWithoutAStatedFigureLeavesOutTheInputEmbedding() {
        // 12,879,925,248 with both embedding matrices (Mistral's 12.9B) less the 32,000 x 4,096 input embedding.
        assertThat(MemoryEstimator.activeParams(mixtral(null))).isEqualTo(12_879_925_248L - 32_000L * 4_096);
    }

    @Test
    void aStatedFigureWins() {
        assertThat(MemoryEstimator.activeParams(mixtral(12_000_000_000L))).isEqualTo(12_000_000_000L);
    }
}
