package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FitCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void seventyBillionInEightBitShowsWeightsInBothUnitsAndWhereItFits() {
        CliRunner.Result r = CliRunner.run("fit", "70B", "--quant", "8bit");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        // 70e9 parameters x 1 byte = 70.00 GB = 65.19 GiB (the survey: 8-bit halves 140 GB).
        assertThat(r.out()).contains("weights 65.19 GiB (70.00 GB)");
        assertThat(r.out()).contains("Fits on").contains("a100-80gb-sxm4").contains("h100-sxm5");
        assertThat(r.out()).doesNotContain("rtx-4090 ");
    }

    @Test
    void jsonHasTheContractFieldsAndTotalEqualsTheSumOfComponents() throws Exception {
        CliRunner.Result r = CliRunner.run("fit", "llama-2-70b", "--format", "json");
        assertThat(r.exitCode()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(doc.has("model")).isTrue();
        assertThat(doc.has("workload")).isTrue();
        assertThat(doc.has("hardware")).isTrue();
        assertThat(doc.has("fit")).isTrue();
        assertThat(doc.get("assumptions").isArray()).isTrue();
        JsonNode memory = doc.get("memory");
        assertThat(memory.get("totalBytes").isIntegralNumber()).isTrue();
        JsonNode components = memory.get("components");
        assertThat(components.get("weights").isIntegralNumber()).isTrue();
        long sum = 0;
        for (Iterator<JsonNode> it = components.elements(); it.hasNext(); ) {
            sum += it.next().asLong();
        }
        assertThat(memory.get("totalBytes").asLong()).isEqualTo(sum);
        assertThat(List.of("weights", "kvCache", "activations", "overhead"))
                .allSatisfy(name -> assertThat(components.has(name)).as(name).isTrue());
        // Llama 2 70B: 68,976,648,192 parameters in bf16/fp16 (config.json); weights are 2 bytes each.
        assertThat(components.get("weights").asLong()).isEqualTo(2L * 68_976_648_192L);
        assertThat(doc.get("workload").get("context").asInt()).isEqualTo(4096);
    }

    @Test
    void checkExitsZeroWhenItFitsAndOneWhenItDoesNot() {
        assertThat(CliRunner.run("fit", "70B", "--gpu", "a100-80gb", "--quant", "8bit", "--check").exitCode()).isZero();
        CliRunner.Result tooBig = CliRunner.run("fit", "70B", "--gpu", "a100-80gb", "--quant", "fp16", "--check");
        assertThat(tooBig.exitCode()).isEqualTo(1);
        assertThat(tooBig.out()).contains("DOES NOT FIT");
    }

    @Test
    void malformedSizeIsAUsageError() {
        CliRunner.Result r = CliRunner.run("fit", "70Q");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("llmplan fit: ").contains("'Q'");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void unknownModelIsBadDataWithSuggestions() {
        CliRunner.Result r = CliRunner.run("fit", "llama-9-70b");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).startsWith("llmplan fit: unknown model 'llama-9-70b'").contains("did you mean").contains("llama-2-70b");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void unknownOptionIsAUsageErrorWithoutStackTrace() {
        CliRunner.Result r = CliRunner.run("fit", "7B", "--bogus");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("llmplan fit: ").doesNotContain("\tat ");
    }

    @Test
    void namesResolveIgnoringCaseSpacesDotsAndDashes() {
        for (String name : List.of("Llama 2 70B", "llama2-70b", "LLAMA_2_70B", "meta-llama/Llama-2-70b-hf")) {
            CliRunner.Result r = CliRunner.run("fit", name, "--mode", "load", "--format", "json");
            assertThat(r.exitCode()).as(name).isZero();
            assertThat(r.out()).as(name).contains("\"id\" : \"llama-2-70b\"");
        }
    }

    @Test
    void perGpuVerdictOnTwoCards() throws Exception {
        CliRunner.Result r = CliRunner.run("fit", "llama-2-13b", "--quant", "4bit", "--gpu", "2x rtx-4060-ti-16gb", "--format", "json");
        assertThat(r.exitCode()).isZero();
        JsonNode fit = JSON.readTree(r.out()).get("fit");
        assertThat(fit.get("cards")).hasSize(2);
        assertThat(fit.get("fits").asBoolean()).isTrue();
        assertThat(JSON.readTree(r.out()).get("hardware").get("gpuCount").asInt()).isEqualTo(2);
    }

    @Test
    void contextAboveTheModelMaximumIsAWarningNotAnError() {
        // Issue 14 #13: runtimes run it (llama.cpp warns "n_ctx_train < n_ctx"), so a warning, not a usage error.
        CliRunner.Result r = CliRunner.run("fit", "llama-2-7b", "--context", "8k");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("warning").contains("beyond").contains("4096");
    }

    @Test
    void closedModelsExplainInsteadOfInventingASize() {
        CliRunner.Result r = CliRunner.run("fit", "gpt-4");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("no public weights");
    }

    @Test
    void helpAndVersionWork() {
        CliRunner.Result help = CliRunner.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Exit codes:").contains("fit");
        CliRunner.Result version = CliRunner.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("llmplan ");
    }

    @Test
    void legalButUnusualCombinationsWarnOnStderrAndStillAnswer() {
        CliRunner.Result r = CliRunner.run("fit", "llama-2-7b", "--runtime", "vllm", "--flash-attention", "off", "--format", "json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).startsWith("llmplan fit: warning: vLLM always uses its own paged attention kernels");
        assertThat(r.out().strip()).startsWith("{");
    }

    @Test
    void ggufOnVllmIsAUsageError() {
        CliRunner.Result r = CliRunner.run("fit", "llama-2-7b", "--quant", "q4_k_m", "--runtime", "vllm");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("GGUF formats run on llama.cpp");
    }

    @Test
    void unsupportedKvFormatForTheRuntimeIsAUsageError() {
        CliRunner.Result r = CliRunner.run("fit", "llama-2-7b", "--kv-cache", "q4_0", "--runtime", "vllm");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("does not support a q4_0 KV cache");
    }
}
