package dev.llmplan.engine;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each runtime's behaviour lives in its profile; the engine asks the profile and never tests which one it is. */
class RuntimeProfileTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();

    private static Estimate estimate(String model, String quant, Runtime runtime, int context, int gpus) {
        Workload w = new Workload(Mode.INFERENCE, WeightFormat.parse(quant, null), context, 1, null, runtime, null, gpus, null);
        return MemoryEstimator.estimate(CATALOG.model(model), w);
    }

    private static Part part(Estimate e, Component c) {
        return e.parts().stream().filter(p -> p.component() == c).findFirst().orElseThrow();
    }

    @Test
    void theRegistryListsTheRuntimesInTheOrderUsersSee() {
        assertThat(Runtimes.all()).extracting(Runtime::id)
                .containsExactly("transformers", "autoawq", "vllm", "llama.cpp", "generic");
        assertThat(Runtimes.all()).containsExactly(Runtime.TRANSFORMERS, Runtime.AUTOAWQ, Runtime.VLLM, Runtime.LLAMA_CPP,
                Runtime.GENERIC);
        assertThat(Runtimes.ids()).isEqualTo("transformers, autoawq, vllm, llama.cpp, generic");
    }

    @Test
    void parseAcceptsTheIdInAnySpellingAndTheAliases() {
        Map<String, Runtime> spellings = Map.ofEntries(
                Map.entry("transformers", Runtime.TRANSFORMERS), Map.entry("Transformers", Runtime.TRANSFORMERS),
                Map.entry("hf", Runtime.TRANSFORMERS), Map.entry("pytorch", Runtime.TRANSFORMERS),
                Map.entry("vllm", Runtime.VLLM), Map.entry(" vLLM ", Runtime.VLLM),
                Map.entry("llama.cpp", Runtime.LLAMA_CPP), Map.entry("llama-cpp", Runtime.LLAMA_CPP),
                Map.entry("llamacpp", Runtime.LLAMA_CPP), Map.entry("llama_cpp", Runtime.LLAMA_CPP),
                Map.entry("ollama", Runtime.LLAMA_CPP), Map.entry("gguf", Runtime.LLAMA_CPP),
                Map.entry("autoawq", Runtime.AUTOAWQ), Map.entry("auto-awq", Runtime.AUTOAWQ),
                Map.entry("generic", Runtime.GENERIC));
        spellings.forEach((text, runtime) -> assertThat(Runtime.parse(text)).as(text).isEqualTo(runtime));
        assertThatThrownBy(() -> Runtime.parse("tgi")).isInstanceOf(LlmplanException.class)
                .hasMessage("unknown runtime 'tgi': expected one of transformers, autoawq, vllm, llama.cpp, generic");
    }

    @Test
    void theFormatPicksItsUsualRuntime() {
        assertThat(WeightFormat.parse("q4_k_m", null).defaultRuntime()).isEqualTo(Runtime.LLAMA_CPP);
        for (String quant : List.of("fp16", "bf16", "int8", "nf4", "gptq-4bit", "awq-4bit", "fp8")) {
            assertThat(WeightFormat.parse(quant, null).defaultRuntime()).as(quant).isEqualTo(Runtime.TRANSFORMERS);
        }
    }

    @Test
    void everyProfileDescribesTheCurrentVersionUnlessToldOtherwise() {
        for (Runtime r : Runtimes.all()) {
            assertThat(r.version().isCurrent()).as(r.id()).isTrue();
        }
        assertThat(new VllmRuntime()).isEqualTo(Runtime.VLLM);
        assertThat(new VllmRuntime(new RuntimeVersion("0.5.0"))).isNotEqualTo(Runtime.VLLM);
    }

    @Test
    void versionsCompareNumberByNumberWithPostReleasesAfterTheirRelease() {
        // PEP 440 post-releases, as pip prints them (AutoAWQ's tags v0.2.7.post1 .. v0.2.7.post3 come between 0.2.7 and
        // 0.2.8; vLLM shipped 0.6.3.post1).
        RuntimeVersion post3 = RuntimeVersion.parse("v0.2.7.post3");
        assertThat(post3.text()).isEqualTo("0.2.7.post3");
        assertThat(post3.before("0.2.8")).isTrue();
        assertThat(post3.before("0.2.7.post3")).isFalse();
        assertThat(post3.before("0.2.7")).isFalse();
        assertThat(RuntimeVersion.parse("0.2.7").before("0.2.7.post3")).isTrue();
        assertThat(RuntimeVersion.parse("0.2.7.post2").before("0.2.7.post3")).isTrue();
        // A post-release of a shorter version is not a longer version: 4.38.post1 comes before 4.38.1.
        assertThat(RuntimeVersion.parse("4.38.post1").before("4.38.1")).isTrue();
        assertThat(RuntimeVersion.parse("4.45").before("4.45.0")).isFalse();
        assertThat(RuntimeVersion.parse("b2459").before("b3000")).isTrue();
        // Anything else is a usage error, never an exception from the number parser.
        for (String bad : List.of("0.2.7rc1", "0.2.7.post", "0.2.7.dev3", "1.post2.3", "99999999999999999999")) {
            assertThatThrownBy(() -> RuntimeVersion.parse(bad)).as(bad).isInstanceOf(LlmplanException.class)
                    .hasMessageContaining("is not a version");
        }
    }

    @Test
    void eachRuntimeStoresItsKvCacheInTheFormatsItImplements() {
        // transformers: DynamicCache in a float dtype; vLLM: --kv-cache-dtype auto|fp8; llama.cpp:
        // --cache-type-k/-v f32, f16, bf16 and the ggml block types; generic: anything.
        Set<KvFormat> floats = EnumSet.of(KvFormat.FP32, KvFormat.FP16, KvFormat.BF16);
        Set<KvFormat> ggml = EnumSet.complementOf(EnumSet.of(KvFormat.FP8));
        Map<Runtime, Set<KvFormat>> expected = Map.of(
                Runtime.TRANSFORMERS, floats,
                Runtime.VLLM, EnumSet.of(KvFormat.FP16, KvFormat.BF16, KvFormat.FP8),
                Runtime.LLAMA_CPP, ggml,
                Runtime.GENERIC, EnumSet.allOf(KvFormat.class));
        expected.forEach((runtime, formats) -> {
            for (KvFormat kv : KvFormat.values()) {
                assertThat(kv.supportedBy(runtime)).as(runtime.id() + " " + kv.id()).isEqualTo(formats.contains(kv));
            }
        });
    }

    @Test
    void perGpuOverheadIsEachRuntimesCitedConstant() {
        // transformers docs: 1343 MB after CUDA init (vLLM runs on the same PyTorch); Ollama's 457 MiB
        // budget for llama.cpp; a bare CUDA context of 300 MiB.
        assertThat(Runtime.TRANSFORMERS.perGpuOverheadBytes()).isEqualTo(1343L * Bytes.MIB);
        assertThat(Runtime.VLLM.perGpuOverheadBytes()).isEqualTo(1343L * Bytes.MIB);
        assertThat(Runtime.LLAMA_CPP.perGpuOverheadBytes()).isEqualTo(457L * Bytes.MIB);
        assertThat(Runtime.GENERIC.perGpuOverheadBytes()).isEqualTo(300L * Bytes.MIB);
        assertThat(Runtime.LLAMA_CPP.overhead().formula()).isEqualTo("457 MiB per GPU (llama.cpp CUDA context and runtime)");
    }

    /**
     * Before transformers 4.42 generate() held the previous step's cache tuple while the model built the next
     * (fixed by PR #30536, "Reduce by 2 the memory requirement in generate()"). Llama 2 13B in fp16 (40 layers,
     * 40 KV heads x 128), batch 16, prompt 512, context 1024: the last decode forward's old cache holds
     * 1022 tokens (the prefill gives the first new token), 2 x 16 x 5120 x 2 B x 40 layers x 1022 =
     * 13,395,558,400 B, the new token's logits
     * 16 x 32,000 x (2 + 4) B = 3,072,000 B; optimum's benchmark measured 53,986.51 MB at these settings
     * (huggingface/optimum tests/benchmark/README.md), about 13 GB above weights, cache and context.
     */
    @Test
    void generateBefore442HoldsThePreviousCacheDuringADecodeStep() {
        Workload old = new Workload(Mode.INFERENCE, WeightFormat.parse("fp16", null), 1024, 16, null,
                Runtime.parse("transformers@4.32"), false, 1, null, new Serving(512, null, null, null, false));
        Part step = part(MemoryEstimator.estimate(CATALOG.model("llama-2-13b"), old), Component.ACTIVATIONS);
        assertThat(step.bytes().value()).isEqualTo(13_395_558_400L + 3_072_000L);
        assertThat(step.source()).contains("#30536");
        Workload current = new Workload(Mode.INFERENCE, WeightFormat.parse("fp16", null), 1024, 16, null,
                Runtime.parse("transformers@4.42"), false, 1, null, new Serving(512, null, null, null, false));
        Part oneCache = part(MemoryEstimator.estimate(CATALOG.model("llama-2-13b"), current), Component.ACTIVATIONS);
        assertThat(oneCache.bytes().value()).isLessThan(step.bytes().value() / 4);
        // One new token is the prefill's own: no decode forward, no second cache.
        Workload prefillOnly = new Workload(Mode.INFERENCE, WeightFormat.parse("fp16", null), 513, 16, null,
                Runtime.parse("transformers@4.32"), false, 1, null, new Serving(512, null, null, null, false));
        assertThat(part(MemoryEstimator.estimate(CATALOG.model("llama-2-13b"), prefillOnly), Component.ACTIVATIONS).formula())
                .doesNotContain("previous step's cache");
    }

    /**
     * vLLM 0.17+ runs its dummy sampler after the profile forward, so the peak is the larger of the two: Llama 3.1 8B
     * with max_num_seqs 1024 samples 1024 x 128,256 logits at 16 B (fp32 logits, their sorted copy, int64 indices),
     * 2,101,346,304 B, above the forward's 8192 x (3 x 14336 + 3 x 4096) x 2 B = 905,969,664 B; the llm-d planner's
     * vLLM 0.19 log of this run says 1.89 GiB, the same at tensor parallel 2 and 4. 0.16 still adds both.
     */
    @Test
    void vllmSamplesAfterTheProfileForward() {
        Serving seqs1024 = new Serving(null, 1024, 8192, null, false);
        Part v019 = part(MemoryEstimator.estimate(CATALOG.model("llama-3.1-8b"), new Workload(Mode.INFERENCE,
                WeightFormat.parse("bf16", null), 8192, 1, null, Runtime.parse("vllm@0.19"), null, 1, null, seqs1024)),
                Component.ACTIVATIONS);
        assertThat(v019.bytes().value()).isEqualTo(1024L * 128_256 * 16);
        assertThat(v019.bytes().gib()).isCloseTo(1.89, org.assertj.core.data.Percentage.withPercentage(5));
        Part tp2 = part(MemoryEstimator.estimate(CATALOG.model("llama-3.1-8b"), new Workload(Mode.INFERENCE,
                WeightFormat.parse("bf16", null), 8192, 1, null, Runtime.parse("vllm@0.19"), null, 2, null, seqs1024)),
                Component.ACTIVATIONS);
        assertThat(tp2.bytes()).isEqualTo(v019.bytes());
        Part v016 = part(MemoryEstimator.estimate(CATALOG.model("llama-3.1-8b"), new Workload(Mode.INFERENCE,
                WeightFormat.parse("bf16", null), 8192, 1, null, Runtime.parse("vllm@0.16"), null, 1, null, seqs1024)),
                Component.ACTIVATIONS);
        assertThat(v016.bytes().value()).isEqualTo(905_969_664L + 1024L * 128_256 * (2 + 4 + 4));
    }

    /**
     * vLLM's fused-MoE workspaces are persistent buffers shared by the MoE layers (fused_moe/modular_kernel.py), so they
     * are still held when the sampler runs: Qwen3-30B-A3B (8 of 128 experts, 768 wide, hidden 2048) over 8192 tokens
     * keeps 8192 x 8 x (max(2 x 768, 2048) + 768) x 2 B = 369,098,752 B beside the sampler's 1024 x 151,936 x 16 B;
     * the llm-d planner's vLLM 0.19 log says 2.68 GiB.
     */
    @Test
    void vllmKeepsTheFusedMoeWorkspaceThroughTheSampler() {
        Part act = part(MemoryEstimator.estimate(CATALOG.model("qwen3-30b-a3b"), new Workload(Mode.INFERENCE,
                WeightFormat.parse("bf16", null), 8192, 1, null, Runtime.parse("vllm@0.19"), null, 1, null,
                new Serving(null, 1024, 8192, null, false))), Component.ACTIVATIONS);
        assertThat(act.bytes().value()).isEqualTo(1024L * 151_936 * 16 + 8192L * 8 * (2048 + 768) * 2);
        assertThat(act.bytes().gib()).isCloseTo(2.68, org.assertj.core.data.Percentage.withPercentage(2));
    }

    /**
     * Before transformers 4.42 Mistral-derived code (Qwen2 among it) kept every layer's rotary cos/sin tables for all
     * max_position_embeddings positions: 2 x 24 layers x 32,768 x 64 x 2 B = 201,326,592 B for Qwen2-0.5B, which Qwen's
     * speed benchmark of Qwen2 shows at a 1-token prompt (1.17 GiB for bf16; QwenLM docs/source/benchmark/speed_benchmark.rst). 4.42 dropped them.
     */
    @Test
    void olderTransformersKeepPerLayerRotaryTables() {
        Estimate e = generate("qwen2.5-0.5b", "bf16", "transformers@4.38", 1, 2049);
        assertThat(buffers(e, "rotary cos/sin")).isEqualTo(201_326_592L);
        double peak = (e.total().value() - e.component(Component.OVERHEAD).value()) / (double) Bytes.GIB;
        assertThat(peak).isCloseTo(1.17, org.assertj.core.data.Percentage.withPercentage(3));
        assertThat(buffers(generate("qwen2.5-0.5b", "bf16", "transformers@4.42", 1, 2049), "rotary cos/sin")).isZero();
    }

    /** transformers generate() of {@code prompt} tokens up to {@code context}, batch 1. */
    private static Estimate generate(String model, String quant, String runtime, int prompt, int context) {
        return MemoryEstimator.estimate(CATALOG.model(model), new Workload(Mode.INFERENCE, WeightFormat.parse(quant, null),
                context, 1, null, Runtime.parse(runtime), true, 1, null, new Serving(prompt, null, null, null, false)));
    }

    /** The bytes of an estimate's parts whose formula starts with {@code label}. */
    private static long buffers(Estimate e, String label) {
        return e.parts().stream().filter(p -> p.formula().startsWith(label)).mapToLong(p -> p.bytes().value()).sum();
    }

    /**
     * GPT-NeoX's attention kept a bool causal mask of max_position_embeddings squared in every layer until its refactor
     * (PR #35610, 4.49): 24 x 2048^2 B = 100,663,296 B for Pythia-410M, the gap transformers' SDPA benchmark of it shows
     * at a 128-token prompt (974.831 MB published; perf_infer_gpu_one, transformers 4.42 era).
     */
    @Test
    void gptNeoxKeepsACausalMaskPerLayerBefore449() {
        Estimate e = generate("pythia-410m", "fp16", "transformers@4.42", 128, 228);
        assertThat(buffers(e, "causal-mask buffers")).isEqualTo(100_663_296L);
        double peakMb = (e.total().value() - e.component(Component.OVERHEAD).value()) / 1e6;
        assertThat(peakMb).isCloseTo(974.831, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(buffers(generate("pythia-410m", "fp16", "transformers@4.49", 128, 228), "causal-mask buffers")).isZero();
    }

    /**
     * A local folder names its modeling code by model_type ("gpt_neox"), the catalog by family ("GPT-NeoX"): the same
     * GPT-NeoX-20B (44 layers, 2048 positions) keeps the same 44 x 2048^2 B of causal masks either way. GPT-J's
     * attention lost its mask earlier, with the dynamic-cache rework (PR #31421, 4.45).
     */
    @Test
    void aLocalFolderAndItsCatalogEntryKeepTheSameBuffers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Files.copy(java.nio.file.Path.of("src/test/resources/configs/gpt_neox-gpt-neox-20b.json"),
                dir.resolve("config.json"));
        ModelSpec local = dev.llmplan.modelfile.ModelFiles.read(dir).spec();
        Runtime old = Runtime.parse("transformers@4.42");
        long expected = 44L * 2048 * 2048;
        assertThat(old.modelBuffers(local, 2048)).extracting(p -> p.bytes().value()).containsExactly(expected);
        assertThat(old.modelBuffers(CATALOG.model("gpt-neox-20b"), 2048)).extracting(p -> p.bytes().value()).containsExactly(expected);
        assertThat(Runtime.parse("transformers@4.44").modelBuffers(CATALOG.model("gpt-j-6b"), 2048))
                .extracting(p -> p.bytes().value()).containsExactly(28L * 2048 * 2048);
        assertThat(Runtime.parse("transformers@4.45").modelBuffers(CATALOG.model("gpt-j-6b"), 2048)).isEmpty();
    }

    /**
     * A prefill's last layer has freed its intermediates before the head runs: with every prompt position's logits
     * (transformers before 4.45) a 30,720-token prompt of Qwen2-0.5B peaks at the head, 2 x 30,720 x 896 x 2 B of
     * hidden state and norm plus 30,720 x 151,936 x (2 + 4) B of logits, with no MLP or residual buffers on top.
     */
    @Test
    void aPrefillPeaksAtTheLargerOfALayerAndTheHead() {
        Part p = TransformersRuntime.prefill(CATALOG.model("qwen2.5-0.5b").arch(), 30_720, 1, true, 2, true);
        assertThat(p.bytes().value()).isEqualTo(2L * 30_720 * 896 * 2 + 30_720L * 151_936 * 6);
        Part lastOnly = TransformersRuntime.prefill(CATALOG.model("qwen2.5-0.5b").arch(), 30_720, 1, true, 2, false);
        assertThat(lastOnly.bytes().value()).isEqualTo(4L * 30_720 * 896 * 2 + 30_720L * 4864 * 3 * 2);
    }

    @Test
    void llamaCppPadsTheSlidingWindowCacheByOneMicroBatch() {
        // Gemma 2 9B: 42 layers, every second one sliding (window 4096), 8 KV heads x 256, bf16 cache:
        // 2 x 8 x 256 x 2 B = 8192 B per token and layer. llama.cpp's SWA cache holds
        // GGML_PAD(4096 + 512, 256) = 4608 cells; transformers' the 4096-token window.
        long perTokenLayer = 2L * 8 * 256 * 2;
        Estimate llama = estimate("gemma-2-9b", "q8_0", Runtime.LLAMA_CPP, 8192, 1);
        Estimate hf = estimate("gemma-2-9b", "bf16", Runtime.TRANSFORMERS, 8192, 1);
        assertThat(llama.component(Component.KV_CACHE).value()).isEqualTo((21L * 8192 + 21L * 4608) * perTokenLayer);
        assertThat(hf.component(Component.KV_CACHE).value()).isEqualTo((21L * 8192 + 21L * 4096) * perTokenLayer);
    }

    @Test
    void llamaCppCachesTheWholeContextOfAnAllSlidingModel() {
        // Mistral 7B v0.1 slides every layer (window 4096); llama.cpp runs it as plain Llama (llama.cpp#3377).
        long perTokenLayer = 2L * 8 * 128 * 2;
        Estimate llama = estimate("mistral-7b", "q8_0", Runtime.LLAMA_CPP, 8192, 1);
        Estimate hf = estimate("mistral-7b", "bf16", Runtime.TRANSFORMERS, 8192, 1);
        assertThat(llama.component(Component.KV_CACHE).value()).isEqualTo(32L * 8192 * perTokenLayer);
        assertThat(llama.assumptions()).anyMatch(a -> a.startsWith("llama.cpp does not apply this model's sliding window"));
        assertThat(hf.component(Component.KV_CACHE).value()).isEqualTo(32L * 4096 * perTokenLayer);
    }

    @Test
    void llamaCppKeepsTheTokenEmbeddingInHostMemory() {
        // Untied head (Llama 2): the embedding moves from the GPUs to host memory.
        Estimate llama = estimate("llama-2-7b", "q4_k_m", Runtime.LLAMA_CPP, 4096, 1);
        Estimate generic = estimate("llama-2-7b", "q4_k_m", Runtime.GENERIC, 4096, 1);
        assertThat(llama.hostTotal().value()).isPositive();
        assertThat(llama.component(Component.WEIGHTS).value() + llama.hostTotal().value())
                .isCloseTo(generic.component(Component.WEIGHTS).value(), org.assertj.core.api.Assertions.within(1L));
        // Tied head (Gemma 2): a duplicate stays on the GPU as the output, so the GPU keeps every byte.
        Estimate tied = estimate("gemma-2-9b", "q4_k_m", Runtime.LLAMA_CPP, 4096, 1);
        Estimate tiedGeneric = estimate("gemma-2-9b", "q4_k_m", Runtime.GENERIC, 4096, 1);
        assertThat(tied.hostTotal().value()).isPositive();
        assertThat(tied.component(Component.WEIGHTS)).isEqualTo(tiedGeneric.component(Component.WEIGHTS));
        assertThat(generic.hostTotal()).isEqualTo(Bytes.ZERO);
    }

    @Test
    void vllmReplicatesTheMlaLatentOnEveryTensorParallelRank() {
        Estimate vllm = estimate("deepseek-v2-lite", "bf16", Runtime.VLLM, 4096, 2);
        Estimate generic = estimate("deepseek-v2-lite", "bf16", Runtime.GENERIC, 4096, 2);
        Part kv = part(vllm, Component.KV_CACHE);
        assertThat(kv.perGpu()).isTrue();
        assertThat(kv.formula()).endsWith("(replicated on every GPU)");
        assertThat(part(generic, Component.KV_CACHE).perGpu()).isFalse();
        assertThat(vllm.component(Component.KV_CACHE)).isEqualTo(generic.component(Component.KV_CACHE).times(2));
        // One GPU: nothing to replicate.
        assertThat(part(estimate("deepseek-v2-lite", "bf16", Runtime.VLLM, 4096, 1), Component.KV_CACHE).perGpu()).isFalse();
    }

    @Test
    void servingOnlyRuntimesRefuseFineTuningAndForeignWeights() {
        Workload lora = new Workload(Mode.LORA, WeightFormat.parse("bf16", null), 512, 1, null, Runtime.VLLM, null, 1, null);
        assertThatThrownBy(() -> MemoryEstimator.estimate(CATALOG.model("llama-2-7b"), lora))
                .hasMessageContaining("fine-tuning runs on PyTorch").hasMessageContaining("not vllm");
        assertThatThrownBy(() -> estimate("llama-2-7b", "q4_k_m", Runtime.VLLM, 4096, 1))
                .hasMessageContaining("GGUF formats run on llama.cpp, not vLLM");
        assertThatThrownBy(() -> estimate("llama-2-7b", "gptq-4bit", Runtime.LLAMA_CPP, 4096, 1))
                .hasMessageContaining("llama.cpp runs GGUF formats");
        assertThat(estimate("llama-2-7b", "fp16", Runtime.LLAMA_CPP, 4096, 1).total().value()).isPositive();
    }

    /** A runtime the engine has never heard of: it must be asked, not recognised. */
    record TestRuntime(RuntimeVersion version) implements Runtime {
        public Runtime withVersion(RuntimeVersion v) {
            return new TestRuntime(v);
        }

        public String id() {
            return "test-runtime";
        }

        public boolean supportsKv(KvFormat kv) {
            return kv == KvFormat.FP16;
        }

        public long perGpuOverheadBytes() {
            return Bytes.GIB;
        }

        public String overheadSource() {
            return "test";
        }

        public Part activations(Architecture a, Workload w, int context) {
            return Part.perGpu(Component.ACTIVATIONS, Bytes.of(2 * Bytes.MIB), "fixed", "test");
        }

        public MultiGpuSplit multiGpuSplit() {
            return MultiGpuSplit.LAYERS;
        }

        public List<String> warnings(Workload w) {
            return List.of("test warning");
        }
    }

    @Test
    void anUnregisteredProfileDrivesTheEstimate() {
        Runtime test = new TestRuntime(RuntimeVersion.CURRENT);
        Estimate e = estimate("llama-2-7b", "fp16", test, 4096, 1);
        assertThat(e.component(Component.OVERHEAD)).isEqualTo(Bytes.of(Bytes.GIB));
        assertThat(part(e, Component.OVERHEAD).formula()).isEqualTo("1024 MiB per GPU (test-runtime CUDA context and runtime)");
        assertThat(e.component(Component.ACTIVATIONS)).isEqualTo(Bytes.of(2 * Bytes.MIB));
        assertThat(e.warnings()).first().isEqualTo("test warning");
        List<String> noAssumptions = new ArrayList<>();
        assertThat(test.slidingLayers(CATALOG.model("mistral-7b").arch(), 32, noAssumptions)).isEqualTo(32);
        assertThat(noAssumptions).isEmpty();
        Workload q8 = new Workload(Mode.INFERENCE, WeightFormat.parse("fp16", null), 4096, 1, KvFormat.Q8_0, test, null, 1, null);
        assertThatThrownBy(() -> MemoryEstimator.estimate(CATALOG.model("llama-2-7b"), q8))
                .hasMessage("the test-runtime runtime does not support a q8_0 KV cache");
    }
}
