package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The disagreements {@link CrossCommandAgreementTest} found on other seeds, pinned one by one. */
class FoundByAgreementTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRecommendLabelWithItsDeviceNoteIsValidGpuInput() throws Exception {
        CliRunner.Result r = CliRunner.run("fit", "llama-2-70b", "--gpu", "4x mi250x (8 devices)", "--format", "json", "--no-ladder");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).at("/hardware/gpuCount").asInt()).isEqualTo(8);
    }

    @Test
    void checkReportsThePlacementsMemoryLikeFit(@TempDir Path dir) throws Exception {
        // vLLM tensor parallel x8 over a model with fewer KV heads replicates KV heads: the placement holds
        // more than the estimate's even split, and check used to print the estimate.
        Path plan = dir.resolve("p.yaml");
        Files.writeString(plan, """
                schemaVersion: 1
                entries:
                  - name: tp8
                    model: gemma-3-4b
                    workload:
                      quant: fp8
                      context: 8192
                      runtime: vllm
                    hardware:
                      gpu: 8x arc-a770-16gb
                """);
        JsonNode entry = JSON.readTree(CliRunner.run("check", plan.toString(), "--format", "json").out()).get("entries").get(0);
        JsonNode fit = JSON.readTree(CliRunner.run("fit", "gemma-3-4b", "--quant", "fp8", "--context", "8192", "--runtime", "vllm",
                "--gpu", "8x arc-a770-16gb", "--no-ladder", "--format", "json").out());
        assertThat(entry.at("/memory/totalBytes").asLong()).isEqualTo(fit.at("/memory/totalBytes").asLong());
        assertThat(entry.at("/memory/components")).isEqualTo(fit.at("/memory/components"));
    }

    @Test
    void modelsFitsListsAModelAtAGgufFloorAboveItsCheckpointsBits() throws Exception {
        // DeepSeek V3 ships in FP8; q8_0 (8.5 bits) is above that, and fit sizes it: models --fits must too.
        JsonNode doc = JSON.readTree(CliRunner.run("models", "--fits", "dgx-b200", "--quant", "q8_0", "--context", "512",
                "--format", "json").out());
        JsonNode row = null;
        for (JsonNode m : doc.get("models")) {
            row = m.get("id").asText().equals("deepseek-v3") ? m : row;
        }
        assertThat(row).isNotNull();
        assertThat(row.get("quant").asText()).isEqualTo("q8_0");
    }
}
