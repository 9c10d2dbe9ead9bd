package dev.llmplan.shell;

import dev.llmplan.device.StandInTools;
import dev.llmplan.hub.FakeHub;
import dev.llmplan.modelfile.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shell plans on this machine's GPUs ({@code set gpu auto}) and reads models from the hub. */
class ShellMachineTest {
    @TempDir
    Path dir;

    @Test
    void gpuAutoAsASessionDefaultAndHubModelsOnALine() throws Exception {
        try (FakeHub hub = FakeHub.start()) {
            hub.file("test-org/tiny", "config.json", Fixtures.llamaConfig(64, 2, 4, 2, 128, 256, 512, "bfloat16"));
            hub.file("test-org/tiny", "model.safetensors",
                    Fixtures.safetensorsLazy(Fixtures.llamaTensors("BF16", 64, 2, 4, 2, 128, 256)));
            Map<String, String> env = new HashMap<>(new StandInTools(dir).nvidiaSmi("NVIDIA GeForce RTX 4090, 24564, 1187\n").env());
            env.put("HF_ENDPOINT", hub.endpoint());
            env.put("HF_HUB_OFFLINE", "0");
            env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
            ShellHarness.Session s = ShellHarness.run("set gpu auto\nfit hf:test-org/tiny --no-ladder\nexit\n", env,
                    dir.resolve("history"));
            assertThat(s.output()).contains("gpu = auto")
                    .contains("tiny (hf:test-org/tiny)")
                    .contains("On rtx-4090 (single GPU)")
                    .contains("22.83 GiB")
                    .contains("note: GPU 0 NVIDIA GeForce RTX 4090 (nvidia-smi) = rtx-4090");
        }
    }
}
