package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 17 as the user sees it: closed models with a published shape are estimated as hypotheticals,
 * the rest refused with the closest open model; family names plan their representative size; a model
 * file without a reader is marked approximate; multi-device cards are planned as their devices; prices
 * are shown in the currency asked for.
 */
class CatalogRoundTwoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void gpt3InSixteenBitsIsAHypothetical350GigabytesOfWeights() throws Exception {
        // The survey: "175B needs about 350 GB" (175e9 x 2 bytes); GPT-3's shape is Table 2.1 of its paper.
        CliRunner.Result table = CliRunner.run("fit", "GPT-3", "--quant", "fp16", "--no-ladder");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out().lines().findFirst().orElseThrow()).contains("GPT-3 175B").contains("no public weights: hypothetical");
        assertThat(table.out()).contains("(350.0 GB)").contains("96 layers, hidden 12288, 96 heads");
        JsonNode doc = JSON.readTree(CliRunner.run("fit", "GPT-3", "--quant", "fp16", "--format", "json").out());
        assertThat(doc.at("/model/weights").asText()).isEqualTo("closed");
        assertThat(doc.at("/model/hypothetical").asBoolean()).isTrue();
        assertThat(doc.at("/memory/components/weights").asLong() / 1e9).isCloseTo(350.0, within(0.01));
        assertThat(doc.get("assumptions").toString()).contains("no public weights: hypothetical");
    }

    @Test
    void aClosedModelWithoutAShapeIsRefusedWithTheClosestOpenModel() {
        CliRunner.Result r = CliRunner.run("fit", "GPT-4");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("no public weights and no published parameter count or architecture")
                .contains("the closest open model is gpt-oss-120b");
        // With a parameter count, closest by size (log scale): AlphaCode 41.1B has no published shape.
        CliRunner.Result sized = CliRunner.run("fit", "alphacode-41b");
        assertThat(sized.exitCode()).isEqualTo(3);
        assertThat(sized.err()).contains("but no published architecture").contains("the closest open model is")
                .contains("'41.1B' as MODEL sizes a bare model");
    }

    @Test
    void modelsFitsListsOnlyOpenModelsAndSaysSo() {
        CliRunner.Result r = CliRunner.run("models", "--fits", "h100", "--quant", "4bit");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).doesNotContain("gpt-3-175b").contains("only open models are listed");
    }

    @Test
    void aFamilyNamePlansTheRepresentativeAndNotesTheOtherSizes() {
        CliRunner.Result r = CliRunner.run("fit", "GPT-2", "--no-ladder");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("GPT-2 XL (gpt2-xl)");
        assertThat(r.err()).contains("note: 'GPT-2' names the GPT-2 family: planned as gpt2-xl (1.56B); other sizes: gpt2-small");
        CliRunner.Result rinna = CliRunner.run("fit", "rinna");
        assertThat(rinna.exitCode()).isEqualTo(3);
        assertThat(rinna.err()).contains("rinna is a developer").contains("japanese-gpt-neox-3.6b, youri-7b");
    }

    @Test
    void aConfigWithoutAReaderIsMarkedApproximate(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"made_up\",\"hidden_size\":2048,"
                + "\"num_hidden_layers\":16,\"num_attention_heads\":16,\"intermediate_size\":8192,\"vocab_size\":32000,"
                + "\"hidden_act\":\"silu\",\"max_position_embeddings\":4096}");
        CliRunner.Result r = CliRunner.run("fit", dir.toString(), "--no-ladder");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).contains("approximate architecture");
        assertThat(r.err()).contains("warning: approximate architecture: made_up has no dedicated config.json reader");
        JsonNode doc = JSON.readTree(CliRunner.run("fit", dir.toString(), "--format", "json").out());
        assertThat(doc.at("/model/approximate").asBoolean()).isTrue();
        // A model type with a reader is exact: no flag, no warning.
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json")).replace("made_up", "llama"));
        CliRunner.Result llama = CliRunner.run("fit", dir.toString(), "--no-ladder");
        assertThat(llama.err()).doesNotContain("approximate");
        assertThat(JSON.readTree(CliRunner.run("fit", dir.toString(), "--format", "json").out()).at("/model").has("approximate")).isFalse();
    }

    @Test
    void anMi250xIsTwoSixtyFourGibDevicesNotOneCard() {
        // 70B in 8-bit needs about 68 GiB: more than one 64 GiB GCD, so never "single GPU" on one MI250X.
        CliRunner.Result r = CliRunner.run("fit", "70B", "--quant", "8bit", "--gpu", "mi250x", "--no-ladder");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("On mi250x (2 devices) (layer split across 2 GPUs").doesNotContain("single GPU");
        assertThat(r.out()).contains("0  mi250x  64.00 GiB").contains("1  mi250x  64.00 GiB");
        CliRunner.Result listing = CliRunner.run("gpus", "--vendor", "amd");
        assertThat(listing.out()).contains("mi250x: one card is 2 devices");
    }

    @Test
    void pricesAreShownInTheCurrencyAskedForAndConversionsAreMarked() throws Exception {
        CliRunner.Result yen = CliRunner.run("gpus", "--currency", "jpy", "--vendor", "nvidia", "--category", "datacenter");
        assertThat(yen.exitCode()).isZero();
        assertThat(yen.out()).contains("price JPY").contains("50,000,000")   // the survey's DGX A100 yen, as yen
                .contains("≈29,850,000")                                         // $199,000 at 150 JPY/USD
                .contains("converted at 150 JPY/USD");
        JsonNode rec = JSON.readTree(CliRunner.run("recommend", "llama-2-70b", "--quant", "4bit", "--top", "3",
                "--currency", "jpy", "--format", "json").out());
        JsonNode first = rec.get("configurations").get(0);
        assertThat(first.get("currency").asText()).isEqualTo("JPY");
        assertThat(first.get("cost").asDouble()).isCloseTo(first.get("costUsd").asDouble() * 150, within(1.0));
        assertThat(CliRunner.run("gpus", "--currency", "eur").exitCode()).isEqualTo(2);
    }

    @Test
    void aContextBeyondTheNativeLengthUpToTheExtendedOneIsAWarningNotAnError() {
        CliRunner.Result r = CliRunner.run("fit", "qwen2.5-7b", "--context", "128k", "--no-ladder");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("above Qwen2.5 7B's native 32768 tokens").contains("up to 131072");
        // Beyond the extended length too it is a warning (issue 14 #13), never a failure.
        CliRunner.Result over = CliRunner.run("fit", "qwen2.5-7b", "--context", "256k", "--no-ladder");
        assertThat(over.exitCode()).isZero();
        assertThat(over.err()).contains("warning").contains("trained length of 131072 tokens (32768 native");
    }
}
