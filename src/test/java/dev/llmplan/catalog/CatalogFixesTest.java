package dev.llmplan.catalog;

import dev.llmplan.engine.Currency;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Price;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.engine.TensorInventory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The data errors issue 17 lists, each held to its corrected value and the source the entry cites. */
class CatalogFixesTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();

    private static ModelSpec m(String id) {
        return CATALOG.model(id);
    }

    @Test
    void parameterCountsAreTheCheckpointsOwn() {
        // StarCoder2-15B: the Starcoder2ForCausalLM layout with biases and an untied head (HF: 16B).
        assertThat(m("starcoder2-15b").parameters()).isEqualTo(15_957_889_024L);
        assertThat(TensorInventory.of(m("starcoder2-15b").arch(), m("starcoder2-15b").type()).total())
                .isCloseTo(15_957_889_024L, org.assertj.core.data.Percentage.withPercentage(0.1)); // biases not in the tensor model
        // Phi-3-small-8k: counted from its config.json (14.78 GB of bf16 weights = 7.39B x 2 bytes).
        assertThat(m("phi-3-small-8k").parameters()).isEqualTo(7_392_272_384L);
        assertThat(m("phi-3-small-8k").arch().tiedEmbeddings()).isTrue();
        // Llama 3.2 11B Vision: "11B (10.6B actual)" (Meta model card); text + vision + projector.
        assertThat(m("llama-3.2-11b-vision").parameters()).isEqualTo(10_670_220_835L);
        assertThat(m("llama-3.2-11b-vision").arch().cachingLayers()).isEqualTo(32);
    }

    @Test
    void gemma3CountsTheVisionEncoderAsItsOwnPart() {
        // Text-only counts 3.88/11.77/27.01B; the checkpoints hold SigLIP (416,866,032) and a projector too.
        long[][] expected = {{3_880_263_168L, 4_300_079_472L}, {11_766_034_176L, 12_187_325_040L},
                {27_009_346_304L, 27_432_406_640L}};
        String[] ids = {"gemma-3-4b", "gemma-3-12b", "gemma-3-27b"};
        for (int i = 0; i < ids.length; i++) {
            ModelSpec g = m(ids[i]);
            assertThat(g.parameters()).as(ids[i]).isEqualTo(expected[i][1]);
            assertThat(g.languageParameters()).as(ids[i]).isEqualTo(expected[i][0]);
            assertThat(g.visionEncoder().imageTokens()).isEqualTo(256);
            assertThat(g.visionEncoder().imageSize()).isEqualTo(896);
        }
        assertThat(m("llava-1.5-7b").parameters()).isEqualTo(7_063_427_072L);
        assertThat(m("llava-1.5-7b").visionEncoder().imageTokens()).isEqualTo(576);
    }

    @Test
    void contextsSayNativeAndExtended() {
        assertThat(m("calm2-7b").maxContext()).isEqualTo(4096);
        assertThat(m("calm2-7b-chat").maxContext()).isEqualTo(32768);   // the survey's 32k CALM2
        assertThat(m("cyberagent/calm2-7b-chat").id()).isEqualTo("calm2-7b-chat");
        assertThat(m("qwen1.5-moe-a2.7b").maxContext()).isEqualTo(8192); // the base config.json
        for (String id : new String[] {"qwen2.5-7b", "qwen2.5-14b", "qwen2.5-32b", "qwen2.5-72b"}) {
            assertThat(m(id).maxContext()).as(id).isEqualTo(32768);
            assertThat(m(id).arch().extendedContext()).as(id).isEqualTo(131072);
        }
        for (String id : new String[] {"bloom-1b1", "bloom-1b7", "bloom-3b", "bloom-7b1"}) {
            assertThat(m(id).maxContext()).as(id).isEqualTo(2048);
        }
    }

    @Test
    void alexaTmHasItsArchitecture() {
        var a = m("alexatm-20b").arch();
        assertThat(new int[] {a.encoderLayers(), a.decoderLayers(), a.hidden(), a.heads(), a.ffn()})
                .containsExactly(46, 32, 4096, 32, 16384);
    }

    @Test
    void moeActiveParametersLeaveOutTheInputEmbedding() {
        // OpenAI's gpt-oss-20b: 3.6B active (model card); 4,187,440,704 - 201,088 x 2,880 embedding rows.
        assertThat(m("gpt-oss-20b").activeParameters()).isEqualTo(3_608_307_264L);
        assertThat(m("gpt-oss-120b").activeParameters()).isEqualTo(5_132_849_472L);
        // Mixtral 8x7B: Mistral's 12.9B includes the 32,000 x 4,096 input embedding.
        assertThat(m("mixtral-8x7b").activeParameters()).isEqualTo(12_879_925_248L - 32_000L * 4_096);
    }

    @Test
    void multiDieCardsArePerDevice() {
        GpuSpec mi250x = CATALOG.gpu("mi250x");
        assertThat(mi250x.devicesPerCard()).isEqualTo(2);
        assertThat(mi250x.memoryGiB()).isEqualTo(64);      // ROCm sees two 64 GB GCDs (Pawsey Setonix docs)
        assertThat(mi250x.cardMemoryGiB()).isEqualTo(128);
        assertThat(CATALOG.gpu("mi210").devicesPerCard()).isEqualTo(1); // one GCD
        assertThat(CATALOG.gpu("jetson-agx-orin-64gb").category()).isEqualTo("embedded");
    }

    @Test
    void fp8IsTheFp32AccumulateRate() {
        // Ada whitepaper v2.02 Appendix A and RTX Blackwell whitepaper Table 3 (dense, FP32 accumulate).
        assertThat(CATALOG.gpu("rtx-4090").fp8Tflops()).isEqualTo(330.3);
        assertThat(CATALOG.gpu("rtx-5090").fp8Tflops()).isEqualTo(419.0);
        assertThat(CATALOG.gpu("rtx-4060-ti-16gb").fp8Tflops()).isEqualTo(88.3);
        for (GpuSpec g : CATALOG.gpus()) {
            if (g.fp8Tflops() != null && g.fp16Tflops() > 0) {
                // FP8 runs at most twice FP16 on every generation (datasheets round: L40S 362.05 / 733); 4x meant an
                // FP16-accumulate figure.
                assertThat(g.fp8Tflops()).as(g.id()).isLessThanOrEqualTo(2.05 * g.fp16Tflops());
            }
        }
    }

    @Test
    void pricesNeverInvertARankingInEitherCurrency() {
        for (Currency c : Currency.values()) {
            SystemSpec big = CATALOG.findSystem("dgx-a100-640gb").orElseThrow();
            SystemSpec small = CATALOG.findSystem("dgx-a100-320gb").orElseThrow();
            assertThat(big.price().purchase(c).amount()).as(c.code()).isGreaterThan(small.price().purchase(c).amount());
            Price sxm = CATALOG.gpu("h100-sxm5").price();
            Price pcie = CATALOG.gpu("h100-pcie").price();
            assertThat(sxm.purchase(c).amount()).as(c.code()).isGreaterThanOrEqualTo(pcie.purchase(c).amount());
        }
        // The survey's yen stay yen; USD list prices stay dollars; a conversion says so.
        assertThat(CATALOG.findSystem("dgx-a100-640gb").orElseThrow().price().purchase(Currency.JPY).converted()).isFalse();
        assertThat(CATALOG.findSystem("dgx-a100-640gb").orElseThrow().price().purchase(Currency.USD).converted()).isTrue();
        assertThat(CATALOG.findSystem("dgx-a100-320gb").orElseThrow().price().purchase(Currency.USD).amount()).isEqualTo(199_000);
    }
}
