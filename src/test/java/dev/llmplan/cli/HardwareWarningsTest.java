package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 item 13: warnings a user expects, on stderr and in JSON {@code warnings}, never a failure.
 * Each case has a control that differs only in the thing warned about.
 */
class HardwareWarningsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The warnings of a fit, checked to be the same on stderr (table run) and in JSON. */
    private static List<String> warnings(String... args) throws Exception {
        List<String> withJson = new ArrayList<>(List.of(args));
        withJson.addAll(List.of("--no-ladder", "--format", "json"));
        CliRunner.Result json = CliRunner.run(withJson.toArray(String[]::new));
        assertThat(json.exitCode()).as(json.err()).isZero();
        List<String> out = new ArrayList<>();
        JSON.readTree(json.out()).get("warnings").forEach(w -> out.add(w.asText()));
        List<String> table = new ArrayList<>(List.of(args));
        table.add("--no-ladder");
        CliRunner.Result text = CliRunner.run(table.toArray(String[]::new));
        assertThat(text.exitCode()).isZero();
        for (String w : out) {
            assertThat(text.err()).contains("llmplan fit: warning: " + w);
        }
        return out;
    }

    @Test
    void bf16OnTuringAndVoltaButNotOnAmpere() throws Exception {
        // llama-3.1-8b ships in bf16, so its default format is bf16.
        assertThat(warnings("fit", "llama-3.1-8b", "--gpu", "t4")).anyMatch(w -> w.startsWith("bf16 on t4 (Turing)"));
        assertThat(warnings("fit", "llama-3.1-8b", "--gpu", "v100-sxm2-32gb"))
                .anyMatch(w -> w.startsWith("bf16 on v100-sxm2-32gb (Volta)") && w.contains("--quant fp16"));
        assertThat(warnings("fit", "llama-2-7b", "--mode", "lora", "--precision", "bf16-mixed", "--gpu", "v100-sxm2-32gb"))
                .anyMatch(w -> w.startsWith("bf16 on v100") && w.contains("--precision fp16-mixed"));
        assertThat(warnings("fit", "llama-3.1-8b", "--gpu", "t4", "--quant", "fp16")).noneMatch(w -> w.contains("bf16"));
        assertThat(warnings("fit", "llama-3.1-8b", "--gpu", "a100-40gb-pcie")).noneMatch(w -> w.contains("bf16"));
    }

    @Test
    void fp8OnAmpereButNotOnAdaOrHopper() throws Exception {
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "fp8", "--gpu", "a100-80gb-sxm4"))
                .anyMatch(w -> w.startsWith("FP8 on a100-80gb-sxm4 (Ampere)"));
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "fp8", "--gpu", "rtx-3090"))
                .anyMatch(w -> w.startsWith("FP8 on rtx-3090"));
        // H100 NVL has no FP8 rate in the catalog but is Hopper: no warning.
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "fp8", "--gpu", "h100-nvl")).noneMatch(w -> w.contains("FP8"));
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "fp8", "--gpu", "rtx-4090")).noneMatch(w -> w.contains("FP8"));
    }

    @Test
    void vllmAndGptqOnAppleSilicon() throws Exception {
        assertThat(warnings("fit", "llama-3.1-8b", "--runtime", "vllm", "--quant", "fp16", "--gpu", "apple-m2-max"))
                .anyMatch(w -> w.startsWith("vLLM on apple-m2-max") && w.contains("no Metal backend"));
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "gptq-4bit", "--gpu", "apple-m2-max"))
                .anyMatch(w -> w.startsWith("gptq-4bit on apple-m2-max"));
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "q4_k_m", "--gpu", "apple-m2-max")).isEmpty();
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "gptq-4bit", "--gpu", "rtx-4090"))
                .noneMatch(w -> w.contains("gptq"));
    }

    @Test
    void quantisedKvCacheWithoutFlashAttentionInLlamaCpp() throws Exception {
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "q4_k_m", "--kv-cache", "q8_0", "--flash-attention", "off",
                "--gpu", "rtx-4090")).anyMatch(w -> w.contains("q8_0 KV cache with --flash-attention off"));
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "q4_k_m", "--kv-cache", "q8_0", "--flash-attention", "on",
                "--gpu", "rtx-4090")).noneMatch(w -> w.contains("flash"));
        assertThat(warnings("fit", "llama-3.1-8b", "--quant", "q4_k_m", "--kv-cache", "fp16", "--flash-attention", "off",
                "--gpu", "rtx-4090")).noneMatch(w -> w.contains("KV cache with"));
    }

    @Test
    void contextBeyondTheTrainedLengthIsAWarningNotAnError() throws Exception {
        assertThat(warnings("fit", "llama-2-7b", "--context", "8k", "--gpu", "rtx-4090"))
                .anyMatch(w -> w.contains("--context 8192 is beyond Llama 2 7B's trained length of 4096 tokens"));
        assertThat(warnings("fit", "llama-2-7b", "--context", "4k", "--gpu", "rtx-4090")).noneMatch(w -> w.contains("trained"));
        // Without hardware too: the estimate carries it.
        CliRunner.Result r = CliRunner.run("fit", "llama-2-7b", "--context", "8k", "--no-ladder");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("warning: --context 8192 is beyond");
    }

    @Test
    void checkReportsTheWarningsOfAnEntryInPlanWordsAndStillPasses(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("t4.yaml");
        Files.writeString(plan, """
                schemaVersion: 1
                entries:
                  - name: t4-bf16
                    model: llama-3.2-1b
                    workload:
                      quant: bf16
                      context: 4k
                    hardware:
                      gpu: t4
                """);
        CliRunner.Result r = CliRunner.run("check", plan.toString(), "--format", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("llmplan check: warning: t4-bf16: bf16 on t4 (Turing)").contains("(quant fp16)");
        JsonNode entry = JSON.readTree(r.out()).get("entries").get(0);
        assertThat(entry.get("warnings").get(0).asText()).startsWith("bf16 on t4");
    }
}
