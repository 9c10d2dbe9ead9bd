package dev.llmplan.engine;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The serving add-ons as components: draft model, served LoRA slots, vision encoder (issue 20, items 1 to 4). */
class ServingComponentsTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();

    private static Workload workload(String quant, Runtime runtime, int gpus, Serving serving) {
        return new Workload(Mode.INFERENCE, WeightFormat.parse(quant, null), 4096, 1, null, runtime, null, gpus, null, serving);
    }

    /** An inference workload at {@code context} tokens with a {@code kv} cache (null: the model's dtype) on one GPU. */
    private static Workload workload(String quant, Runtime runtime, int context, KvFormat kv, Serving serving) {
        return new Workload(Mode.INFERENCE, WeightFormat.parse(quant, null), context, 1, kv, runtime, null, 1, null, serving);
    }

    /** vLLM serving Llama 3.1 8B in bf16 with 4 LoRA slots of rank 64 on {@code gpus} GPUs. */
    private static Workload fourRank64Slots(int gpus) {
        return workload("bf16", Runtime.VLLM, gpus, serving(null, 4, null))
                .withTraining(new TrainingOptions(null, null, null, 64, null, null, null, null, null, null));
    }

    private static Serving serving(Draft draft, Integer loraSlots, Integer images) {
        return new Serving(null, null, null, null, false, null, draft, loraSlots, images);
    }

    private static List<Part> parts(Estimate e, Component c) {
        return e.parts().stream().filter(p -> p.component() == c).toList();
    }

    private static long sum(List<Part> parts) {
        return parts.stream().mapToLong(p -> p.bytes().value()).sum();
    }

    // ------------------------------------------------------------------ speculative decoding

    /**
     * Leviathan, Kalman and Matias 2023, eq. 1: E[tokens per target pass] = (1 - a^(k+1)) / (1 - a). With a = 0.7
     * and k = 5: (1 - 0.117649) / 0.3 = 2.94117; a = 0 gives the one token of plain decoding, a = 1 all k + 1.
     */
    @Test
    void expectedTokensPerTargetPassFollowLeviathanEtAl() {
        assertThat(SpeculativeDecoding.expectedTokens(0.7, 5)).isCloseTo(2.94117, within(1e-5));
        assertThat(SpeculativeDecoding.expectedTokens(0.0, 5)).isEqualTo(1.0);
        assertThat(SpeculativeDecoding.expectedTokens(1.0, 5)).isEqualTo(6.0);
        // Their Theorem 3.8: improvement = E / (k c + 1); a draft costing 5% of the target at k = 5 divides by 1.25.
        assertThat(SpeculativeDecoding.speedup(0.7, 5, 0.05)).isCloseTo(2.94117 / 1.25, within(1e-5));
        // The paper's T5-XXL / T5-small EnDe row (a = 0.75, k = 7) measured 3.4x: below the c = 0 bound of 3.60.
        assertThat(SpeculativeDecoding.expectedTokens(0.75, 7)).isCloseTo(3.5996, within(1e-4)).isGreaterThan(3.4);
    }

    /**
     * llama.cpp gives the draft its own llama_context, which reserves its own compute buffer. Issue
     * ggml-org/llama.cpp#12968 (llama-server -c 512 -cd 512, Qwen2.5-72B with a Qwen2.5-0.5B draft, both IQ4_XS,
     * -fa) logs the draft context's "KV self size = 6.00 MiB" (24 layers x 2 x 2 KV heads x 64 x 2 B x 512, f16:
     * the server did not pass -ctk/-ctv to the draft) and "compute buffer size = 298.50 MiB" (the logits of a
     * 512-token micro-batch, 512 x 151,936 x 4 B, rounded up by ggml's allocator).
     */
    @Test
    void aLlamaCppDraftHasItsOwnKvCacheAndComputeBuffer() {
        Draft small = new Draft(CATALOG.model("qwen2.5-0.5b"), WeightFormat.parse("iq4_xs", null), null);
        Workload w = workload("iq4_xs", Runtime.LLAMA_CPP, 512, KvFormat.Q8_0, serving(small, null, null));
        Estimate e = MemoryEstimator.estimate(CATALOG.model("qwen2.5-72b"), w);
        assertThat(DraftModel.kvBytes(e).value()).isEqualTo(6L * 1024 * 1024);
        assertThat(DraftModel.computeBufferBytes(e).value() / (1024.0 * 1024)).isCloseTo(298.50, within(0.5));
        // vLLM profiles the draft with the target: no buffer of its own.
        Workload v = workload("bf16", Runtime.VLLM, 512, null,
                serving(new Draft(CATALOG.model("qwen2.5-0.5b"), WeightFormat.parse("bf16", null), null), null, null));
        assertThat(DraftModel.computeBufferBytes(MemoryEstimator.estimate(CATALOG.model("qwen2.5-72b"), v)).value()).isZero();
    }

    /**
     * llama.cpp refuses a draft whose vocabulary differs from the target's by more than 128 tokens
     * (common/speculative.cpp, SPEC_VOCAB_MAX_SIZE_DIFFERENCE): Mixtral has 32,000 tokens and Llama 3.2 128,256
     * (their config.json vocab_size); Llama 3.1 70B shares Llama 3.2 1B's 128,256.
     */
    @Test
    void aDraftWithAnotherTokenizerIsWarnedAbout() {
        Draft llama = new Draft(CATALOG.model("llama-3.2-1b"), WeightFormat.parse("bf16", null), null);
        Workload w = workload("bf16", Runtime.LLAMA_CPP, 1, serving(llama, null, null));
        assertThat(MemoryEstimator.estimate(CATALOG.model("mixtral-8x7b"), w).warnings())
                .anyMatch(m -> m.contains("128256-token vocabulary") && m.contains("same tokenizer"));
        assertThat(MemoryEstimator.estimate(CATALOG.model("llama-3.1-70b"), w).warnings())
                .noneMatch(m -> m.contains("same tokenizer"));
    }

    /**
     * Llama 3.2 1B (meta-llama/Llama-3.2-1B config.json: 16 layers, 8 KV heads, head_dim 64, bf16, 1.24B parameters
     * with the head tied): weights 1,235,814,400 x 2 B and a KV cache of 2 x 8 x 64 x 2 B x 16 layers x 4096 tokens =
     * 134,217,728 B at the target's context.
     */
    @Test
    void theDraftAddsItsWeightsAndItsOwnKvCacheSplitLikeTheTarget() {
        ModelSpec target = CATALOG.model("llama-3.1-70b");
        ModelSpec small = CATALOG.model("llama-3.2-1b");
        Draft draft = new Draft(small, WeightFormat.parse("bf16", null), null);
        Estimate without = MemoryEstimator.estimate(target, workload("fp8", Runtime.VLLM, 2, Serving.DEFAULTS));
        Estimate with = MemoryEstimator.estimate(target, workload("fp8", Runtime.VLLM, 2, serving(draft, null, null)));
        List<Part> d = parts(with, Component.DRAFT);
        assertThat(d).hasSize(2).allMatch(p -> !p.perGpu());
        long weights = MemoryEstimator.estimate(small, Workload.inference(WeightFormat.parse("bf16", null))).component(Component.WEIGHTS).value();
        assertThat(d.get(0).bytes().value()).isEqualTo(weights);
        assertThat(d.get(1).bytes().value()).isEqualTo(2L * 8 * 64 * 2 * 16 * 4096);
        assertThat(with.total().value() - without.total().value()).isEqualTo(sum(d));
        assertThat(with.assumptions()).anyMatch(a -> a.contains("not modelled without {draftAcceptance}"));
    }

    /**
     * vLLM keeps one KV cache config for target and draft layers, so every block holds both models' K and V:
     * the pool left after weights and activations is divided by the bytes per token of both caches.
     */
    @Test
    void vllmBlocksHoldTheDraftsLayersToo() {
        ModelSpec target = CATALOG.model("llama-3.1-70b");
        Draft draft = new Draft(CATALOG.model("llama-3.2-1b"), WeightFormat.parse("bf16", null), null);
        Estimate with = MemoryEstimator.estimate(target, workload("fp8", Runtime.VLLM, 2, serving(draft, null, null)));
        Bytes card = Bytes.of(80L * Bytes.GIB);
        VllmCapacity pool = VllmCapacity.of(with, card);
        long targetPerToken = 2L * 8 * 128 * 2 * 80 / 2;  // 80 layers, 8 KV heads x 128, bf16, split over 2 GPUs
        long draftPerToken = 2L * 8 * 64 * 2 * 16 / 2;    // 16 layers, 8 KV heads x 64
        long blockBytes = (targetPerToken + draftPerToken) * VllmRuntime.BLOCK_SIZE;
        assertThat(pool.blocks()).isEqualTo(pool.kvAvailable().value() / blockBytes);
    }

    @Test
    void aDraftIsPricedInItsOwnFormatAndChecksTheRuntime() {
        ModelSpec small = CATALOG.model("llama-3.2-1b");
        Estimate fp8 = MemoryEstimator.estimate(CATALOG.model("llama-3.1-70b"),
                workload("fp8", Runtime.VLLM, 1, serving(new Draft(small, WeightFormat.parse("fp8", null), 0.7), null, null)));
        Estimate bf16 = MemoryEstimator.estimate(CATALOG.model("llama-3.1-70b"),
                workload("fp8", Runtime.VLLM, 1, serving(new Draft(small, WeightFormat.parse("bf16", null), 0.7), null, null)));
        assertThat(parts(fp8, Component.DRAFT).get(0).bytes().value()).isLessThan(parts(bf16, Component.DRAFT).get(0).bytes().value());
        assertThatThrownBy(() -> MemoryEstimator.estimate(CATALOG.model("llama-3.1-70b"),
                workload("fp8", Runtime.VLLM, 1, serving(new Draft(small, WeightFormat.parse("q4_k_m", null), null), null, null))))
                .isInstanceOf(LlmplanException.class).hasMessageContaining("draft model").hasMessageContaining("{draftQuant}");
        assertThatThrownBy(() -> new Draft(small, WeightFormat.parse("bf16", null), 1.5)).isInstanceOf(LlmplanException.class);
    }

    /** vLLM's draft inherits --kv-cache-dtype; llama.cpp's draft cache is f16 unless --cache-type-k-draft says otherwise. */
    @Test
    void theDraftCacheFollowsEachRuntimesRule() {
        Draft draft = new Draft(CATALOG.model("llama-3.2-1b"), WeightFormat.parse("q8_0", null), null);
        Workload w = workload("q4_k_m", Runtime.LLAMA_CPP, 4096, KvFormat.Q8_0, serving(draft, null, null));
        Estimate e = MemoryEstimator.estimate(CATALOG.model("llama-3.1-8b"), w);
        assertThat(parts(e, Component.DRAFT).get(1).bytes().value()).isEqualTo(2L * 8 * 64 * 2 * 16 * 4096);
        Draft bf16 = new Draft(CATALOG.model("llama-3.2-1b"), WeightFormat.parse("bf16", null), null);
        Workload v = workload("fp8", Runtime.VLLM, 4096, KvFormat.FP8, serving(bf16, null, null));
        Estimate f = MemoryEstimator.estimate(CATALOG.model("llama-3.1-8b"), v);
        assertThat(parts(f, Component.DRAFT).get(1).bytes().value()).isEqualTo(2L * 8 * 64 * 1 * 16 * 4096);
    }

    // ------------------------------------------------------------------ multi-LoRA serving

    /**
     * PEFT on Llama 3 8B, r = 64 on all seven linear modules: "trainable params: 167,772,160" (32 layers x 64 x
     * (q 8192 + k 5120 + v 5120 + o 8192 + gate 18432 + up 18432 + down 18432)). vLLM allocates that for each of
     * max_loras slots in the model dtype (lora_a_stacked / lora_b_stacked, vllm/lora/layers/base_linear.py).
     */
    @Test
    void vllmPreallocatesEverySlotOnEveryLinearModule() {
        ModelSpec m = CATALOG.model("llama-3.1-8b");
        Workload w = fourRank64Slots(1);
        Estimate e = MemoryEstimator.estimate(m, w);
        assertThat(e.component(Component.ADAPTERS).value()).isEqualTo(4L * 167_772_160 * 2);
        // The CPU pool: max_cpu_loras defaults to max_loras.
        assertThat(sum(e.hostParts().stream().filter(p -> p.component() == Component.ADAPTERS).toList()))
                .isEqualTo(4L * 167_772_160 * 2);
    }

    /**
     * Under tensor parallelism vLLM keeps A of column-parallel layers (q, k, v, gate, up: 64 x 4096 each) and B of
     * row-parallel layers (o, down: 4096 x 64) whole on every rank and shards the rest: 7 x 64 x 4096 x 32 layers =
     * 58,720,256 parameters per slot per card, the other 109,051,904 halved.
     */
    @Test
    void underTensorParallelHalfOfEachAdapterIsReplicated() {
        ModelSpec m = CATALOG.model("llama-3.1-8b");
        Workload w = fourRank64Slots(2);
        Estimate e = MemoryEstimator.estimate(m, w);
        List<Part> a = parts(e, Component.ADAPTERS);
        assertThat(a).hasSize(2);
        Part whole = a.stream().filter(Part::perGpu).findFirst().orElseThrow();
        assertThat(whole.bytes().value()).isEqualTo(4L * 58_720_256 * 2);
        assertThat(e.component(Component.ADAPTERS).value()).isEqualTo(4L * (167_772_160 + 58_720_256) * 2);
    }

    @Test
    void vllmWarnsAboutARankItWouldRefuse() {
        Workload w = workload("bf16", Runtime.VLLM, 1, serving(null, 2, null))
                .withTraining(new TrainingOptions(null, null, null, 24, null, null, null, null, null, null));
        assertThat(MemoryEstimator.estimate(CATALOG.model("llama-3.1-8b"), w).warnings())
                .anyMatch(s -> s.contains("max_lora_rank is one of"));
    }

    /** PEFT on Llama 3 8B, r = 16 on q_proj and v_proj: "trainable params: 6,815,744"; llama.cpp loads each adapter given. */
    @Test
    void otherRuntimesLoadTheAdaptersOnTheirTargets() {
        ModelSpec m = CATALOG.model("llama-3.1-8b");
        Workload w = workload("bf16", Runtime.TRANSFORMERS, 1, serving(null, 3, null))
                .withTraining(new TrainingOptions(null, null, null, 16, List.of("qv"), null, null, null, null, null));
        Estimate e = MemoryEstimator.estimate(m, w);
        assertThat(e.component(Component.ADAPTERS).value()).isEqualTo(3L * 6_815_744 * 2);
        assertThat(e.hostParts()).noneMatch(p -> p.component() == Component.ADAPTERS);
        assertThat(e.warnings()).noneMatch(s -> s.contains("ignored"));
    }

    // ------------------------------------------------------------------ vision encoder

    /** The split leaves the checkpoint's bytes alone: weights + visionEncoder weights = the weights priced as one. */
    @Test
    void theVisionEncoderIsItsOwnComponentAndTheCheckpointTotalIsUnchanged() {
        for (String id : List.of("gemma-3-27b", "gemma-3-4b", "llama-3.2-11b-vision", "llava-1.5-7b")) {
            ModelSpec m = CATALOG.model(id);
            WeightFormat bf16 = WeightFormat.parse("bf16", null);
            long asOne = WeightsModel.compute(m, bf16, Runtime.TRANSFORMERS, new ArrayList<>()).gpu().value();
            Estimate e = MemoryEstimator.estimate(m, workload("bf16", Runtime.TRANSFORMERS, 1, serving(null, null, 0)));
            long encoder = parts(e, Component.VISION_ENCODER).get(0).bytes().value();
            assertThat(encoder).as(id).isEqualTo(m.visionEncoder().parameters() * 2);
            assertThat(e.component(Component.WEIGHTS).value() + encoder).as(id).isCloseTo(asOne, within(2L));
        }
    }

    /** bitsandbytes 4-bit quantises the language model's blocks; the SigLIP tower stays at 16 bit. */
    @Test
    void aQuantisedCheckpointKeepsItsEncoderAt16Bit() {
        ModelSpec m = CATALOG.model("gemma-3-27b");
        Estimate e = MemoryEstimator.estimate(m, workload("nf4", Runtime.TRANSFORMERS, 1, serving(null, null, 0)));
        assertThat(e.component(Component.VISION_ENCODER).value()).isEqualTo(423_060_336L * 2);
    }

    /**
     * Gemma 3's SigLIP (vision_config: image 896, patch 14, hidden 1152, intermediate 4304): one image is 64 x 64 =
     * 4096 positions, each holding 2 x 4304 + 3 x 1152 = 12,064 values of one layer in bf16: 98,828,288 B; its 256
     * soft tokens (mm_tokens_per_image) join the text sequence, so the KV cache is that of 4096 + 256 tokens.
     */
    @Test
    void oneImageCostsTheEncoderWorkspaceAndItsTokensInTheCache() {
        ModelSpec m = CATALOG.model("gemma-3-27b");
        Estimate one = MemoryEstimator.estimate(m, workload("bf16", Runtime.TRANSFORMERS, 1, Serving.DEFAULTS));
        Estimate none = MemoryEstimator.estimate(m, workload("bf16", Runtime.TRANSFORMERS, 1, serving(null, null, 0)));
        Part workspace = parts(one, Component.VISION_ENCODER).stream().filter(Part::perGpu).findFirst().orElseThrow();
        assertThat(workspace.bytes().value()).isEqualTo(4096L * 12_064 * 2);
        Estimate longer = MemoryEstimator.estimate(m, workload("bf16", Runtime.TRANSFORMERS, 1, serving(null, null, 0))
                .withContext(4096 + 256));
        assertThat(one.component(Component.KV_CACHE)).isEqualTo(longer.component(Component.KV_CACHE));
        assertThat(one.component(Component.KV_CACHE).value()).isGreaterThan(none.component(Component.KV_CACHE).value());
        assertThat(one.assumptions()).anyMatch(a -> a.startsWith("image tokens count toward the context"));
    }

    /**
     * Llama 3.2 Vision (mllama config: 8 cross-attention layers, 8 KV heads x 128, 1601 tokens per 560-pixel tile, 4
     * tiles): the image's 6404 tokens are cached only by the cross-attention layers, 2 x 8 x 8 x 128 x 2 B x 6404 =
     * 209,846,272 B, and do not lengthen the self-attention cache.
     */
    @Test
    void crossAttentionImagesAreCachedInTheCrossAttentionLayers() {
        ModelSpec m = CATALOG.model("llama-3.2-11b-vision");
        Estimate one = MemoryEstimator.estimate(m, workload("bf16", Runtime.TRANSFORMERS, 1, Serving.DEFAULTS));
        Estimate none = MemoryEstimator.estimate(m, workload("bf16", Runtime.TRANSFORMERS, 1, serving(null, null, 0)));
        assertThat(one.component(Component.KV_CACHE).value() - none.component(Component.KV_CACHE).value())
                .isEqualTo(2L * 8 * 8 * 128 * 2 * 6404);
        // ViT-H/14 at 560 pixels: 40 x 40 patches per tile, 4 tiles, (2 x 5120 + 3 x 1280) values each in bf16.
        Part workspace = parts(one, Component.VISION_ENCODER).stream().filter(Part::perGpu).findFirst().orElseThrow();
        assertThat(workspace.bytes().value()).isEqualTo(6400L * (2 * 5120 + 3 * 1280) * 2);
    }

    /**
     * llama.cpp's clip compute buffer for Gemma 3's mmproj (one 896-px image, 4096 positions, in f32), measured by
     * llama.cpp's own fit_params report on an MI300X (gpustack/gguf-parser-go issue 44): 121 MiB with flash attention,
     * 1132 MiB without. The model: max(4304 + 3 x 1152, 6 x 1152) x 4096 x 4 B = 127,139,840 B (121.25 MiB); without
     * flash attention the 16 heads' 4096 x 4096 f32 scores join the attention phase: (6 x 1152 + 16 x 4096) x 4096 x 4
     * B = 1,186,988,032 B (1132.0 MiB). Two images per request still reserve one image's buffer.
     */
    @Test
    void llamaCppReservesOneImagesClipBufferInF32() {
        ModelSpec m = CATALOG.model("gemma-3-27b");
        Workload flash = new Workload(Mode.INFERENCE, WeightFormat.parse("q4_k_m", null), 4096, 1, null, Runtime.LLAMA_CPP, true, 1,
                null, serving(null, null, 2));
        Workload eager = new Workload(Mode.INFERENCE, flash.format(), 4096, 1, null, Runtime.LLAMA_CPP, false, 1, null,
                serving(null, null, 2));
        // The encoder's only per-GPU part is its workspace (its weights are split like the model's).
        long withFlash = sum(parts(MemoryEstimator.estimate(m, flash), Component.VISION_ENCODER).stream().filter(Part::perGpu).toList());
        long without = sum(parts(MemoryEstimator.estimate(m, eager), Component.VISION_ENCODER).stream().filter(Part::perGpu).toList());
        assertThat(withFlash).isEqualTo(127_139_840L);
        assertThat(without).isEqualTo(1_186_988_032L);
        assertThat(withFlash / (double) Bytes.MIB).isCloseTo(121, within(121 * 0.01));
        assertThat(without / (double) Bytes.MIB).isCloseTo(1132, within(1132 * 0.01));
    }

    @Test
    void imagesOnATextModelAreIgnoredWithAWarning() {
        Estimate e = MemoryEstimator.estimate(CATALOG.model("llama-3.1-8b"),
                workload("bf16", Runtime.TRANSFORMERS, 1, serving(null, null, 2)));
        assertThat(e.parts()).noneMatch(p -> p.component() == Component.VISION_ENCODER);
        assertThat(e.warnings()).anyMatch(w -> w.contains("{images} is ignored"));
    }

    // ------------------------------------------------------------------ vLLM specifics

    @Test
    void vllmNamesCudaGraphsWhichEnforceEagerRemovesAndStatesPrefixCaching() {
        ModelSpec m = CATALOG.model("llama-3.1-8b");
        Estimate graphs = MemoryEstimator.estimate(m, workload("bf16", Runtime.VLLM, 1, Serving.DEFAULTS));
        Estimate eager = MemoryEstimator.estimate(m, workload("bf16", Runtime.VLLM, 1,
                new Serving(null, null, null, null, true)));
        assertThat(parts(graphs, Component.OVERHEAD)).anyMatch(p -> p.formula().startsWith("CUDA graphs"));
        assertThat(eager.component(Component.OVERHEAD).value()).isLessThan(graphs.component(Component.OVERHEAD).value());
        assertThat(graphs.assumptions()).anyMatch(a -> a.contains("prefix caching shares KV blocks") && a.contains("no extra memory"));
    }
}
