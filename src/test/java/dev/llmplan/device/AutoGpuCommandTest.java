package dev.llmplan.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --gpu auto} everywhere hardware is given (fit, models --fits, plan files; the shell in ShellMachineTest) and
 * {@code gpus --detect}, with stand-in vendor tools on PATH: cards mapped to the catalog, memory in
 * use subtracted (or not, with --ignore-used), and one-line exit-3 errors when detection fails.
 */
class AutoGpuCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024L * 1024;
    /** Two RTX 4090s (one with 1187 MiB in use) and a card the catalog does not have. */
    private static final String THREE_CARDS = "NVIDIA GeForce RTX 4090, 24564, 1187\nNVIDIA GeForce RTX 4090, 24564, 2\n"
            + "NVIDIA GeForce GTX 1080 Ti, 11264, 310\n";

    @TempDir
    Path dir;

    private Map<String, String> env() throws Exception {
        return new StandInTools(dir).nvidiaSmi(THREE_CARDS).env();
    }

    private static JsonNode json(CliRunner.Result r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void gpusDetectShowsEachCardItsCatalogMatchAndThePlannedMemory() throws Exception {
        CliRunner.Result r = CliRunner.run(env(), "gpus", "--detect");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Detected with: nvidia-smi --query-gpu=name,memory.total,memory.used")
                .contains("0  NVIDIA GeForce RTX 4090     23.99 GiB  1.16 GiB  22.83 GiB  rtx-4090")
                .contains("2  NVIDIA GeForce GTX 1080 Ti  11.00 GiB  0.30 GiB  10.70 GiB  not in the catalog (speed unknown)")
                .contains("--gpu auto plans on: rtx-4090, rtx-4090, nvidia-geforce-gtx-1080-ti (memory in use subtracted");
        JsonNode doc = json(CliRunner.run(env(), "gpus", "--detect", "--format", "json"));
        assertThat(doc.at("/gpus/0/totalBytes").asLong()).isEqualTo(24564 * MIB);
        assertThat(doc.at("/gpus/0/usedBytes").asLong()).isEqualTo(1187 * MIB);
        assertThat(doc.at("/gpus/0/plannedBytes").asLong()).isEqualTo((24564 - 1187) * MIB);
        assertThat(doc.at("/gpus/2/catalogId").isNull()).isTrue();
        JsonNode whole = json(CliRunner.run(env(), "gpus", "--detect", "--ignore-used", "--format", "json"));
        assertThat(whole.at("/gpus/0/plannedBytes").asLong()).isEqualTo(24564 * MIB);
        assertThat(whole.at("/hardware").asText()).isEqualTo("2x rtx-4090, nvidia-geforce-gtx-1080-ti");
    }

    @Test
    void fitOnAutoPlansOnTheFreeMemoryAndSaysWhatItDetected() throws Exception {
        CliRunner.Result r = CliRunner.run(env(), "fit", "llama-3.1-8b", "--gpu", "auto", "--format", "json");
        JsonNode doc = json(r);
        assertThat(doc.at("/fit/cards/0/gpu").asText()).isEqualTo("rtx-4090");
        assertThat(doc.at("/fit/cards/0/capacityBytes").asLong()).isEqualTo((24564 - 1187) * MIB);
        assertThat(doc.at("/fit/cards/1/capacityBytes").asLong()).isEqualTo((24564 - 2) * MIB);
        assertThat(doc.at("/fit/cards/2/gpu").asText()).isEqualTo("nvidia-geforce-gtx-1080-ti");
        assertThat(r.err()).contains("llmplan fit: note: GPU 0 NVIDIA GeForce RTX 4090 (nvidia-smi) = rtx-4090: 23.99 GiB,"
                + " 1.16 GiB in use: planning on 22.83 GiB (--ignore-used plans on the whole card)")
                .contains("GPU 2 NVIDIA GeForce GTX 1080 Ti (nvidia-smi) = not in the catalog, speed unknown");
        JsonNode whole = json(CliRunner.run(env(), "fit", "llama-3.1-8b", "--gpu", "auto", "--ignore-used", "--format", "json"));
        assertThat(whole.at("/fit/cards/0/capacityBytes").asLong()).isEqualTo(24564 * MIB);
    }

    @Test
    void modelsFitsAutoAnswersWhatFitsOnThisMachine() throws Exception {
        Map<String, String> env = new StandInTools(dir).nvidiaSmi("NVIDIA GeForce RTX 4090, 24564, 0\n").env();
        CliRunner.Result auto = CliRunner.run(env, "models", "--fits", "auto", "--developer", "Meta", "--format", "json");
        CliRunner.Result named = CliRunner.run(Map.of(), "models", "--fits", "rtx-4090", "--developer", "Meta", "--format", "json");
        // An idle 4090 detected is the catalog 4090 (24564 MiB is its 24 GiB less 12 MiB).
        assertThat(json(auto).at("/models").size()).isEqualTo(json(named).at("/models").size()).isPositive();
        assertThat(auto.err()).contains("llmplan models: note: GPU 0 NVIDIA GeForce RTX 4090 (nvidia-smi) = rtx-4090");
    }

    @Test
    void planFilesTakeGpuAutoAndIgnoreUsed() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, "schemaVersion: 1\nentries:\n  - name: here\n    model: llama-3.1-8b\n"
                + "    hardware:\n      gpu: auto\n      ignoreUsed: true\n  - name: free\n    model: llama-3.1-8b\n"
                + "    hardware:\n      gpu: auto\n");
        CliRunner.Result r = CliRunner.run(env(), "check", plan.toString(), "--format", "json");
        JsonNode doc = json(r);
        assertThat(doc.toString()).contains("2x rtx-4090, nvidia-geforce-gtx-1080-ti").contains("rtx-4090, rtx-4090, nvidia-geforce");
        // Detection ran once for both entries; its notes name the plan key.
        assertThat(r.err()).contains("llmplan check: note: GPU 0 NVIDIA GeForce RTX 4090")
                .contains("(ignoreUsed plans on the whole card)");
    }

    @Test
    void detectionFailuresAreOneLineExitThree() throws Exception {
        CliRunner.Result none = CliRunner.run(Map.of("PATH", dir.toString()), "fit", "llama-3.1-8b", "--gpu", "auto");
        assertThat(none.exitCode()).isEqualTo(3);
        assertThat(none.err().strip()).isEqualTo("llmplan fit: no GPU detected; tried nvidia-smi (not found on PATH),"
                + " rocm-smi (not found on PATH), amd-smi (not found on PATH), sysctl (not found on PATH);"
                + " name the hardware instead, e.g. --gpu rtx-4090");
        Map<String, String> broken = new StandInTools(dir).script("nvidia-smi",
                "echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'; exit 9\n").env();
        for (String[] args : new String[][] {{"gpus", "--detect"}, {"models", "--fits", "auto"}, {"fit", "7B", "--gpu", "auto"}}) {
            CliRunner.Result r = CliRunner.run(broken, args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(3);
            assertThat(r.err()).hasLineCount(1).contains("nvidia-smi (exit 9: NVIDIA-SMI has failed");
        }
        Map<String, String> garbled = new StandInTools(dir.resolve("g")).nvidiaSmi("<html>proxy error</html>").env();
        assertThat(CliRunner.run(garbled, "gpus", "--detect").err()).contains("nvidia-smi (unexpected output: '<html>proxy error</html>')");
    }
}
