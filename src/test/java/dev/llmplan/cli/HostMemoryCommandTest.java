package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The issue-20 settings on the command line: llama.cpp's names, host memory in the output, the CPU alone. */
class HostMemoryCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void llamaCppSpellingsAreAccepted() throws Exception {
        CliRunner.Result ngl = CliRunner.run("fit", "llama-2-13b", "--quant", "q4_k_m", "--gpu", "rtx-4090", "-ngl", "20",
                "--no-ladder", "--format", "json");
        CliRunner.Result long_ = CliRunner.run("fit", "llama-2-13b", "--quant", "q4_k_m", "--gpu", "rtx-4090",
                "--gpu-layers", "20", "--no-ladder", "--format", "json");
        assertThat(ngl.exitCode()).isZero();
        assertThat(ngl.out()).isEqualTo(long_.out());
        JsonNode offload = JSON.readTree(ngl.out()).get("plan").get("offload");
        assertThat(offload.get("hostLayers").asInt()).isEqualTo(20);
        assertThat(offload.get("runsOn").asText()).isEqualTo("cpu");
        CliRunner.Result cmoe = CliRunner.run("fit", "mixtral-8x7b", "--quant", "q4_k_m", "--gpu", "rtx-4060-ti-16gb",
                "-cmoe", "--no-ladder", "--format", "json");
        JsonNode doc = JSON.readTree(cmoe.out());
        assertThat(doc.get("workload").get("cpuMoe").asText()).isEqualTo("all");
        assertThat(doc.get("memory").get("hostBytes").asLong()).isGreaterThan(18_000_000_000L);
        assertThat(doc.get("plan").get("hostExperts").get("blocks").asInt()).isEqualTo(32);
        CliRunner.Result ncmoe = CliRunner.run("fit", "mixtral-8x7b", "--quant", "q4_k_m", "--gpu", "rtx-4060-ti-16gb",
                "--n-cpu-moe", "8", "--no-ladder", "--format", "json");
        assertThat(JSON.readTree(ncmoe.out()).get("plan").get("hostExperts").get("blocks").asInt()).isEqualTo(8);
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        CliRunner.Result r = CliRunner.run("fit", "mixtral-8x7b", "--n-cpu-moe", "-1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--n-cpu-moe");
        CliRunner.Result bw = CliRunner.run("fit", "llama-2-7b", "--gpu", "cpu", "--ram-bandwidth", "0");
        assertThat(bw.exitCode()).isEqualTo(2);
        assertThat(bw.err()).contains("--ram-bandwidth");
        CliRunner.Result rt = CliRunner.run("fit", "mixtral-8x7b", "--runtime", "vllm", "--cpu-moe");
        assertThat(rt.exitCode()).isEqualTo(2);
        assertThat(rt.err()).contains("--runtime llama.cpp");
    }

    @Test
    void aCardTooSmallSaysHowManyLayersFit() throws Exception {
        CliRunner.Result r = CliRunner.run("fit", "llama-2-70b", "--quant", "q4_k_m", "--gpu", "rtx-4090", "--no-ladder");
        assertThat(r.out()).containsPattern("largest --gpu-layers that fits: \\d+ of 80 layers on the GPU");
        CliRunner.Result j = CliRunner.run("fit", "llama-2-70b", "--quant", "q4_k_m", "--gpu", "rtx-4090", "--no-ladder",
                "--format", "json");
        int n = JSON.readTree(j.out()).get("fit").get("largestGpuLayers").asInt();
        CliRunner.Result at = CliRunner.run("fit", "llama-2-70b", "--quant", "q4_k_m", "--gpu", "rtx-4090", "--no-ladder",
                "--gpu-layers", String.valueOf(n), "--check");
        assertThat(at.exitCode()).isZero();
    }

    @Test
    void theCpuAloneReportsHostMemoryAndSpeedAgainstRam() throws Exception {
        CliRunner.Result r = CliRunner.run("fit", "llama-2-7b", "--gpu", "cpu", "--ram", "32GiB");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("GPU memory: none (CPU only)").contains("On cpu").contains("tok/s on the CPU");
        JsonNode doc = JSON.readTree(CliRunner.run("fit", "llama-2-7b", "--gpu", "none", "--ram", "32GiB", "--format",
                "json").out());
        assertThat(doc.get("memory").get("totalBytes").asLong()).isZero();
        assertThat(doc.get("memory").get("hostBytes").asLong()).isGreaterThan(13_000_000_000L);
        assertThat(doc.get("fit").get("fits").asBoolean()).isTrue();
        assertThat(doc.get("plan").get("decodeTokensPerSecond").asDouble()).isPositive();
        CliRunner.Result small = CliRunner.run("fit", "llama-2-7b", "--gpu", "cpu", "--ram", "8GiB", "--check");
        assertThat(small.exitCode()).isEqualTo(1);
    }

    @Test
    void recommendLeavesOutConfigurationsThatNeedMoreThanRam() throws Exception {
        CliRunner.Result none = CliRunner.run("recommend", "mixtral-8x7b", "--quant", "q4_k_m", "--runtime", "llama.cpp",
                "--cpu-moe", "--ram", "16GiB", "--format", "json");
        assertThat(JSON.readTree(none.out()).get("configurations")).isEmpty();
        CliRunner.Result some = CliRunner.run("recommend", "mixtral-8x7b", "--quant", "q4_k_m", "--runtime", "llama.cpp",
                "--cpu-moe", "--ram", "64GiB", "--format", "json");
        JsonNode rows = JSON.readTree(some.out()).get("configurations");
        assertThat(rows).isNotEmpty();
        rows.forEach(row -> assertThat(row.get("hostBytes").asLong()).isLessThanOrEqualTo(64L << 30));
    }
}
