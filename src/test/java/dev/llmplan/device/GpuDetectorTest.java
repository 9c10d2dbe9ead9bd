package dev.llmplan.device;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Detection with stand-in tools on PATH: each vendor's output format, and each way a tool can fail. */
class GpuDetectorTest {
    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;

    @TempDir
    Path dir;

    @Test
    void nvidiaSmiCsvGivesNameTotalAndUsedInMiB() throws Exception {
        StandInTools t = new StandInTools(dir).nvidiaSmi("NVIDIA GeForce RTX 4090, 24564, 1187\nNVIDIA A100-SXM4-80GB, 81920, [N/A]\n");
        GpuDetector.Detection d = new GpuDetector(t.env()).detect();
        assertThat(d.command()).isEqualTo("nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv,noheader,nounits");
        assertThat(d.gpus()).containsExactly(
                new DetectedGpu(0, "NVIDIA GeForce RTX 4090", "nvidia", 24564 * MIB, 1187 * MIB, "nvidia-smi", null),
                new DetectedGpu(1, "NVIDIA A100-SXM4-80GB", "nvidia", 81920 * MIB, null, "nvidia-smi", null));
    }

    @Test
    void rocmSmiJsonGivesBytes() throws Exception {
        // rocm-smi --showproductname --showmeminfo vram --json on an MI300X (ROCm 6.x key names).
        String json = "{\"card0\": {\"Card series\": \"AMD Instinct MI300X OAM\", \"Card model\": \"0x74a1\","
                + " \"VRAM Total Memory (B)\": \"205822885888\", \"VRAM Total Used Memory (B)\": \"297316352\"},"
                + " \"system\": {\"Driver version\": \"6.7.0\"}}";
        StandInTools t = new StandInTools(dir).tool("rocm-smi", "--showproductname --showmeminfo vram --json", json);
        List<DetectedGpu> gpus = new GpuDetector(t.env()).detect().gpus();
        assertThat(gpus).containsExactly(
                new DetectedGpu(0, "AMD Instinct MI300X OAM", "amd", 205_822_885_888L, 297_316_352L, "rocm-smi", null));
    }

    @Test
    void amdSmiJsonGivesMarketNameAndVramInMiB() throws Exception {
        StandInTools t = new StandInTools(dir)
                .tool("amd-smi", "static --asic --json", "[{\"gpu\": 0, \"asic\": {\"market_name\": \"AMD Instinct MI300X\"}}]");
        t.script("amd-smi", "case \"$*\" in\n"
                + "  'static --asic --json') printf '%s' '[{\"gpu\": 0, \"asic\": {\"market_name\": \"AMD Instinct MI300X\"}}]' ;;\n"
                + "  'metric --mem-usage --json') printf '%s' '[{\"gpu\": 0, \"mem_usage\": {\"total_vram\": {\"value\": 196592,"
                + " \"unit\": \"MB\"}, \"used_vram\": {\"value\": 283, \"unit\": \"MB\"}}}]' ;;\n"
                + "  *) exit 2 ;;\nesac\n");
        assertThat(new GpuDetector(t.env()).detect().gpus()).containsExactly(
                new DetectedGpu(0, "AMD Instinct MI300X", "amd", 196592 * MIB, 283 * MIB, "amd-smi", null));
    }

    @Test
    void appleSiliconUsesTheGpuShareOfUnifiedMemory() throws Exception {
        // 16 GB: 2/3, llama.cpp's recommendedMaxWorkingSetSize = 10922.67 MB (llama.cpp issue 2209).
        DetectedGpu m1 = new GpuDetector(new StandInTools(dir.resolve("a")).sysctl(16 * GIB, "Apple M1", null).env()).detect().gpus().get(0);
        assertThat(m1.totalBytes() / (double) MIB).isCloseTo(10922.67, org.assertj.core.data.Offset.offset(0.01));
        assertThat(m1.usedBytes()).isNull();
        assertThat(m1.note()).isEqualTo("2/3 of 16 GiB unified memory (macOS's default GPU working-set limit)");
        // 64 GB: 3/4, 49152 MiB (llama.cpp issue 1870).
        DetectedGpu max = new GpuDetector(new StandInTools(dir.resolve("b")).sysctl(64 * GIB, "Apple M2 Max", null).env())
                .detect().gpus().get(0);
        assertThat(max.totalBytes()).isEqualTo(49152 * MIB);
        // A raised iogpu.wired_limit_mb replaces the default.
        DetectedGpu wired = new GpuDetector(new StandInTools(dir.resolve("c")).sysctl(64 * GIB, "Apple M2 Max", 57344L).env())
                .detect().gpus().get(0);
        assertThat(wired.totalBytes()).isEqualTo(57344 * MIB);
        assertThat(wired.note()).startsWith("iogpu.wired_limit_mb = 57344");
    }

    @Test
    void noToolAnywhereNamesEveryToolTried() {
        assertThatThrownBy(() -> new GpuDetector(Map.of("PATH", dir.toString())).detect())
                .isInstanceOf(LlmplanException.class)
                .hasMessage("no GPU detected; tried nvidia-smi (not found on PATH), rocm-smi (not found on PATH),"
                        + " amd-smi (not found on PATH), sysctl (not found on PATH); name the hardware instead, e.g. {gpu} rtx-4090");
    }

    @Test
    void failingUnexpectedAndSlowToolsAreReportedNotTrusted() throws Exception {
        StandInTools t = new StandInTools(dir)
                .script("nvidia-smi", "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"; exit 9\n")
                .tool("rocm-smi", "--showproductname --showmeminfo vram --json", "WARNING: No AMD GPUs specified")
                .script("amd-smi", "/bin/sleep 5\n")
                .sysctl(16 * GIB, "Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz", null);
        assertThatThrownBy(() -> new GpuDetector(t.env(), Duration.ofMillis(700)).detect())
                .hasMessage("no GPU detected; tried nvidia-smi (exit 9: NVIDIA-SMI has failed because it couldn't communicate"
                        + " with the NVIDIA driver.), rocm-smi (unexpected output: 'WARNING: No AMD GPUs specified'),"
                        + " amd-smi (no answer within 0.7 s), sysctl ('Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz' is not Apple"
                        + " silicon); name the hardware instead, e.g. {gpu} rtx-4090");
    }

    @Test
    void garbledNvidiaLinesAreUnexpectedOutput() throws Exception {
        for (String out : List.of("NVIDIA GeForce RTX 4090, lots, 1", "no commas here", "", "NVIDIA X, 0, 0")) {
            StandInTools t = new StandInTools(dir.resolve("g" + out.hashCode())).nvidiaSmi(out);
            assertThatThrownBy(() -> new GpuDetector(t.env()).detect()).as(out)
                    .hasMessageStartingWith("no GPU detected; tried nvidia-smi (")
                    .hasMessageContaining(out.isEmpty() ? "it listed no GPUs" : "unexpected output");
        }
    }
}
