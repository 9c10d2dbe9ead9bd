package dev.llmplan.engine;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code {runtime} autoawq}: AutoAWQ's fused layers (casper-hansen/AutoAWQ; the README's benchmark table at 5c7e3682
 * ran 0.1.6). Vicuna 7B v1.5 has Llama 2 7B's shape: 32 layers, hidden 4096, 32 heads of 128, gated MLP.
 */
class AutoAwqRuntimeTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();

    private static Estimate vicuna(String runtime, String quant, int prompt, int context) {
        Workload w = new Workload(Mode.INFERENCE, WeightFormat.parse(quant, null), context, 1, null, Runtime.parse(runtime),
                null, 1, null, new Serving(prompt, null, null, null, false));
        return MemoryEstimator.estimate(CATALOG.model("vicuna-7b"), w);
    }

    private static long activations(Estimate e) {
        return e.component(Component.ACTIVATIONS).value();
    }

    @Test
    void beforeZeroTwoTheLoadEndsWithEveryLayersFusedQkvBesideTheOldOnes() {
        // fuse_qkv (utils/fused_utils.py@5c7e3682) torch.cat's q, k and v; the old LlamaModel keeps them until
        // fuse_transformer swaps it: 32 x 3 x 4096^2 = 1,610,612,736 weights x (4 + (16 + 4) / 128) bits / 8 =
        // 836,763,648 B, larger than a 64-token prefill. Rotary tables: 32 layers x (2 x 64) positions x 64 x 8 B.
        long rope = 32L * 128 * 64 * 8;
        assertThat(activations(vicuna("autoawq@0.1.6", "awq-4bit", 64, 64))).isEqualTo(836_763_648L + rope);
        // From 0.2.0 (PR #330) fuse_qkv deletes the sources: only the prefill is left.
        assertThat(activations(vicuna("autoawq@0.2.0", "awq-4bit", 64, 64))).isLessThan(100_000_000L);
        // On two GPUs accelerate's device map gives each its half of the layers, copies and tables with them; the
        // activations component sums both GPUs' parts.
        Workload two = new Workload(Mode.INFERENCE, WeightFormat.parse("awq-4bit", null), 64, 1, null,
                Runtime.parse("autoawq@0.1.6"), null, 2, null, new Serving(64, null, null, null, false));
        assertThat(activations(MemoryEstimator.estimate(CATALOG.model("vicuna-7b"), two))).isEqualTo(836_763_648L + rope);
    }

    @Test
    void theRotaryTablesFollowTheLayersNotTheGpuCount() {
        // RoPE.precompute_freqs_cis(head_dim, max_seq_len * 2) before 0.2.7 (modules/fused/attn.py@5c7e3682): 32 layers
        // x 128 positions x 64 x 8 B. A split part: a layer split gives each GPU its share, replicas ({parallel} dp)
        // each hold all of it, as Placement spreads every split part.
        Part rope = vicuna("autoawq@0.1.6", "awq-4bit", 64, 64).parts().stream()
                .filter(p -> p.formula().startsWith("rotary tables")).findFirst().orElseThrow();
        assertThat(rope.perGpu()).isFalse();
        assertThat(rope.bytes().value()).isEqualTo(32L * 128 * 64 * 8);
    }

    @Test
    void theEagerFusedAttentionKeepsTenBytesPerScoreUntilFlashDecoding() {
        // QuantAttentionFused.forward before 0.2.7.post3: fp16 scores, F.softmax(scores.float()) -> 2 + 4 + 4 B per score:
        // 1 x 32 heads x 2048^2 x 10 B = 1,342,177,280 B; from 0.2.7.post3 (PR #656) flash_attn_func keeps none.
        String eager = vicuna("autoawq@0.2.7", "awq-4bit", 2048, 2048).parts().stream()
                .filter(p -> p.component() == Component.ACTIVATIONS).findFirst().orElseThrow().formula();
        assertThat(eager).contains("1 x 32 heads x 2048^2 x 10 B");
        // The prefill is the larger of a layer and the head (both releases keep one rotary slot per position, so the
        // tables cancel). Eager: the layer, hidden 4 x 2048 x 4096 x 2 B = 67,108,864 + the scores = 1,409,286,144 B.
        // Flash: the head, hidden 2 x 2048 x 4096 x 2 B + logits 2048 x 32000 x (2 + 4) B = 426,770,432 B, above the
        // layer's 67,108,864 + MLP 2048 x 11008 x 3 x 2 B = 202,375,168 B.
        long flash = activations(vicuna("autoawq", "awq-4bit", 2048, 2048));
        assertThat(activations(vicuna("autoawq@0.2.7", "awq-4bit", 2048, 2048)) - flash)
                .isEqualTo(1_409_286_144L - 426_770_432L);
    }

    @Test
    void flashDecodingArrivedInThePostReleaseThatMergedIt() {
        // PR #656 (dfe396a) is in git tag v0.2.7.post3, not in v0.2.7.post2: the former prices no scores.
        assertThat(((AutoAwqRuntime) Runtime.parse("autoawq@0.2.7.post2")).flashAttention()).isFalse();
        assertThat(((AutoAwqRuntime) Runtime.parse("autoawq@0.2.7.post3")).flashAttention()).isTrue();
        assertThat(activations(vicuna("autoawq@0.2.7.post3", "awq-4bit", 2048, 2048)))
                .isEqualTo(activations(vicuna("autoawq", "awq-4bit", 2048, 2048)));
    }

    @Test
    void theFusedCacheIgnoresASlidingWindow() {
        // WindowedCache (modules/fused/cache.py@5c7e3682) allocates [batch, kv_heads, max_seq_len, head_dim] per layer:
        // Mistral 7B v0.1 (window 4096) at 8192 tokens caches 2 x 32 layers x 8 x 128 x 8192 x 2 B = 1,073,741,824 B,
        // where transformers' sliding cache keeps 4096.
        Workload w = new Workload(Mode.INFERENCE, WeightFormat.parse("awq-4bit", null), 8192, 1, null,
                Runtime.parse("autoawq@0.1.6"), null, 1, null, Serving.DEFAULTS);
        Estimate e = MemoryEstimator.estimate(CATALOG.model("mistral-7b"), w);
        assertThat(e.component(Component.KV_CACHE).value()).isEqualTo(1_073_741_824L);
        Estimate hf = MemoryEstimator.estimate(CATALOG.model("mistral-7b"), new Workload(Mode.INFERENCE,
                WeightFormat.parse("awq-4bit", null), 8192, 1, null, Runtime.parse("transformers"), null, 1, null,
                Serving.DEFAULTS));
        assertThat(hf.component(Component.KV_CACHE).value()).isEqualTo(1_073_741_824L / 2);
    }

    @Test
    void reproducesTheReadmesVicunaRow() {
        // AutoAWQ README@5c7e3682 l.220: Vicuna 7B GEMV, batch 1, 64 prompt and 64 generated tokens: 4.50 GB as
        // printed (max_memory_allocated / 1024^3) = 4,831,838,208 B; the CUDA context is not in that figure.
        Estimate e = vicuna("autoawq@0.1.6", "awq-4bit", 64, 64);
        double allocated = e.total().value() - e.component(Component.OVERHEAD).value();
        assertThat(allocated).isBetween(4_831_838_208.0 * 0.95, 4_831_838_208.0 * 1.05);
    }

    @Test
    void runsAwqCheckpointsOnlyAndDoesNotTrain() {
        assertThatThrownBy(() -> vicuna("autoawq", "gptq-4bit", 64, 64)).isInstanceOf(LlmplanException.class)
                .hasMessageContaining("autoawq runs AWQ checkpoints only");
        assertThat(Runtime.AUTOAWQ.trains()).isFalse();
        assertThat(Runtime.parse("autoawq@0.1.6").label()).isEqualTo("autoawq@0.1.6");
    }
}
