package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The serving options of issue 20 from the command line: fit, recommend and models --fits. */
class ServingOptionsCommandTest {

    @Test
    void theDraftIsAComponentInTheTableAndTheJson() throws Exception {
        CliRunner.Result t = CliRunner.run("fit", "llama-3.1-70b", "--quant", "fp8", "--runtime", "vllm", "--gpu",
                "2x h100-sxm5", "--draft", "llama-3.2-1b", "--no-ladder");
        assertThat(t.exitCode()).isZero();
        assertThat(t.out()).contains("draft model").contains("draft llama-3.2-1b (bf16)")
                .contains("Speculative decoding: the draft model's speed-up is not modelled")
                .contains("--draft-acceptance");
        JsonNode doc = CliRunner.json("fit", "llama-3.1-70b", "--quant", "fp8", "--runtime", "vllm", "--gpu", "2x h100-sxm5",
                "--draft", "llama-3.2-1b", "--draft-quant", "fp8", "--draft-acceptance", "70%", "--format", "json");
        assertThat(doc.at("/memory/components/draft").asLong()).isPositive();
        assertThat(doc.at("/workload/draft").asText()).isEqualTo("llama-3.2-1b");
        assertThat(doc.at("/workload/draftQuant").asText()).isEqualTo("fp8");
        assertThat(doc.at("/workload/draftAcceptance").asDouble()).isEqualTo(0.7);
        assertThat(doc.at("/plan/speculativeDecoding").asText()).contains("2.94 tokens per target pass");
    }

    @Test
    void anAcceptanceSpeedsUpDecode() throws Exception {
        String[] base = {"fit", "llama-3.1-70b", "--quant", "fp8", "--runtime", "vllm", "--gpu", "2x h100-sxm5",
                "--draft", "llama-3.2-1b", "--format", "json"};
        double plain = CliRunner.json(base).at("/plan/decodeTokensPerSecond").asDouble();
        String[] with = java.util.Arrays.copyOf(base, base.length + 2);
        with[base.length] = "--draft-acceptance";
        with[base.length + 1] = "0.8";
        double faster = CliRunner.json(with).at("/plan/decodeTokensPerSecond").asDouble();
        assertThat(faster).isGreaterThan(2 * plain);
    }

    @Test
    void draftSettingsNeedADraftAndAKnownModel() {
        CliRunner.Result r = CliRunner.run("fit", "llama-3.1-8b", "--draft-acceptance", "0.7");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--draft-acceptance").contains("need --draft");
        CliRunner.Result unknown = CliRunner.run("fit", "llama-3.1-8b", "--draft", "no-such-model-xyz");
        assertThat(unknown.exitCode()).isEqualTo(3);
        CliRunner.Result bad = CliRunner.run("fit", "llama-3.1-8b", "--draft", "llama-3.2-1b", "--draft-acceptance", "2");
        assertThat(bad.exitCode()).isEqualTo(2);
    }

    /** 4 slots x 167,772,160 parameters (rank 64 on all seven linear modules of Llama 3 8B) x 2 B, and the CPU pool. */
    @Test
    void loraSlotsAreAdaptersOnTheGpuAndAPoolInHostMemory() throws Exception {
        JsonNode doc = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--lora-slots", "4", "--lora-rank", "64",
                "--format", "json");
        assertThat(doc.at("/memory/components/adapters").asLong()).isEqualTo(4L * 167_772_160 * 2);
        assertThat(doc.at("/memory/hostBytes").asLong()).isGreaterThanOrEqualTo(4L * 167_772_160 * 2);
        assertThat(doc.at("/workload/loraSlots").asInt()).isEqualTo(4);
        CliRunner.Result r = CliRunner.run("fit", "llama-3.1-8b", "--runtime", "vllm", "--lora-slots", "4", "--lora-rank", "64");
        assertThat(r.err()).doesNotContain("ignored");
    }

    @Test
    void visionModelsShowTheirEncoder() throws Exception {
        for (String id : new String[] {"gemma-3-27b", "llama-3.2-11b-vision"}) {
            CliRunner.Result r = CliRunner.run("fit", id, "--no-ladder");
            assertThat(r.out()).as(id).contains("vision encoder");
            assertThat(CliRunner.json("fit", id, "--format", "json").at("/memory/components/visionEncoder").asLong()).as(id).isPositive();
        }
        long one = CliRunner.json("fit", "gemma-3-27b", "--format", "json").at("/memory/totalBytes").asLong();
        long four = CliRunner.json("fit", "gemma-3-27b", "--images", "4", "--format", "json").at("/memory/totalBytes").asLong();
        assertThat(four).isGreaterThan(one);
    }

    @Test
    void maxModelLenIsVllmsNameForTheContext() throws Exception {
        JsonNode a = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--max-model-len", "8k", "--format", "json");
        JsonNode b = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--context", "8k", "--format", "json");
        assertThat(a.at("/workload/context").asInt()).isEqualTo(8192);
        assertThat(a.get("memory")).isEqualTo(b.get("memory"));
    }

    @Test
    void explainNamesCudaGraphsAndEnforceEagerLowersTheOverhead() throws Exception {
        CliRunner.Result r = CliRunner.run("fit", "llama-3.1-8b", "--runtime", "vllm", "--explain", "--no-ladder");
        assertThat(r.out()).contains("CUDA graphs: ").contains("--enforce-eager removes it")
                .contains("prefix caching shares KV blocks");
        long graphs = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--format", "json").at("/memory/components/overhead").asLong();
        long eager = CliRunner.json("fit", "llama-3.1-8b", "--runtime", "vllm", "--enforce-eager", "--format", "json")
                .at("/memory/components/overhead").asLong();
        assertThat(eager).isLessThan(graphs);
    }

    @Test
    void recommendAndModelsFitsCarryTheComponents() throws Exception {
        CliRunner.Result r = CliRunner.run("recommend", "llama-3.1-8b", "--runtime", "vllm", "--draft", "llama-3.2-1b",
                "--lora-slots", "2", "--top", "2");
        assertThat(r.out()).contains("draft llama-3.2-1b").contains("Included in the per-GPU figures").contains("draft model")
                .contains("adapters");
        JsonNode rec = CliRunner.json("recommend", "llama-3.1-8b", "--runtime", "vllm", "--draft", "llama-3.2-1b", "--top", "1",
                "--format", "json");
        assertThat(rec.at("/components/draft").asLong()).isPositive();
        JsonNode fits = CliRunner.json("models", "--fits", "h100-sxm5", "--family", "Llama 3.1", "--runtime", "vllm", "--lora-slots",
                "2", "--format", "json");
        assertThat(fits.get("models").size()).isPositive();
        assertThat(fits.get("models").get(0).at("/components/adapters").asLong()).isPositive();
    }

    @Test
    void modelsFitsTriesOnlyTheFormatsARuntimeLoads() throws Exception {
        // autoawq runs AWQ checkpoints only: the ladder's 16-bit and 8-bit steps are skipped, not the model.
        JsonNode fits = CliRunner.json("models", "--fits", "rtx-4090", "--family", "Llama 2", "--quant", "awq-4bit",
                "--runtime", "autoawq", "--format", "json");
        assertThat(fits.get("models").size()).isPositive();
        fits.get("models").forEach(m -> assertThat(m.get("quant").asText()).isEqualTo("awq-4bit"));
        // With no format it loads, each model is skipped with the runtime's reason.
        CliRunner.Result none = CliRunner.run("models", "--fits", "rtx-4090", "--family", "Llama 2", "--quant", "int4",
                "--runtime", "autoawq");
        assertThat(none.out()).contains("0 models").contains("autoawq runs AWQ checkpoints only");
    }
}
