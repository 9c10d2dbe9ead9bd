package dev.llmplan.catalog;

import dev.llmplan.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 #3, #5, #14, #15: every numeric catalog field has a plausible range checked at load (file:line,
 * exit 3), YAML number forms are read or refused with the reason, and a file with many problems prints a
 * bounded number of lines.
 */
class CatalogRangesTest {
    @TempDir
    Path dir;

    private static final String MODEL = """
            schemaVersion: 1
            models:
              - id: my-model-7b
                name: My Model 7B
                family: Mine
                developer: Me
                weights: open
                type: decoder
                parameters: 6738415616
                source: my own config.json
                architecture:
                  layers: LAYERS
                  hidden: 4096
                  heads: 32
                  kvHeads: 32
                  headDim: 128
                  ffn: 11008
                  ffnType: swiglu
                  vocab: 32000
                  maxContext: 4096
                  tiedEmbeddings: false
            """;

    private static final String GPU_AND_SYSTEM = """
            schemaVersion: 1
            gpus:
              - id: my-gpu
                name: My GPU
                vendor: nvidia
                category: datacenter
                memoryGiB: MEMORY
                source: datasheet
            systems:
              - id: my-sys
                name: My System
                vendor: nvidia
                gpu: my-gpu
                count: COUNT
                source: datasheet
            """;

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("c" + System.nanoTime() + ".yaml"), text);
    }

    private CliRunner.Result model(String layers, String... command) throws Exception {
        Path f = write(MODEL.replace("LAYERS", layers));
        String[] args = new String[command.length + 2];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--catalog";
        args[command.length + 1] = f.toString();
        return CliRunner.run(args);
    }

    private CliRunner.Result hardware(String memory, String count, String... command) throws Exception {
        Path f = write(GPU_AND_SYSTEM.replace("MEMORY", memory).replace("COUNT", count));
        String[] args = new String[command.length + 2];
        System.arraycopy(command, 0, args, 0, command.length);
        args[command.length] = "--catalog";
        args[command.length + 1] = f.toString();
        return CliRunner.run(args);
    }

    @Test
    void aHugeLayerCountIsRefusedAtLoadForEveryCommand() throws Exception {
        // Was: OutOfMemoryError after 37 s for 'gpus' (the tensor list is built per layer).
        for (String[] command : new String[][] {{"gpus"}, {"fit", "7B"}, {"models"}}) {
            CliRunner.Result r = model("2147483647", command);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
            assertThat(r.err().lines()).hasSize(1);
            assertThat(r.err()).containsPattern("\\.yaml:12: my-model-7b: architecture\\.layers: must be between 1 and 10000, got 2147483647");
        }
    }

    @Test
    void hugeGpuCountsAndMemoriesAreRefusedAtLoad() throws Exception {
        // Was: 'count: 2147483647' ran out of memory in 'fit 7B'; 'memoryGiB: 1e308' validated, then broke every fit.
        CliRunner.Result r = hardware("1e308", "2147483647", "fit", "7B");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).containsPattern(":7: my-gpu: memoryGiB: must be greater than 0 and at most 100000, got 1e308")
                .containsPattern(":14: my-sys: count: must be between 1 and 1024, got 2147483647");
        assertThat(r.err().lines()).hasSize(2);
    }

    @Test
    void yamlNumberFormsAreReadOrRefusedWithTheReason() throws Exception {
        assertThat(model("0x20", "fit", "my-model-7b").exitCode()).isZero();
        assertThat(model("0b100000", "fit", "my-model-7b").exitCode()).isZero();
        assertThat(model("0o40", "fit", "my-model-7b").exitCode()).isZero();
        assertThat(model("3_2", "fit", "my-model-7b").exitCode()).isZero();
        CliRunner.Result octal = model("040", "gpus");
        assertThat(octal.exitCode()).isEqualTo(3);
        assertThat(octal.err()).contains(":12: my-model-7b: architecture.layers: '040' is ambiguous");
        CliRunner.Result inf = hardware(".inf", "8", "gpus");
        assertThat(inf.exitCode()).isEqualTo(3);
        assertThat(inf.err()).contains(":7: my-gpu: memoryGiB: must be a finite number, got .inf");
        CliRunner.Result nan = hardware("80", ".nan", "gpus");
        assertThat(nan.exitCode()).isEqualTo(3);
        assertThat(nan.err()).contains(":14: my-sys: count: expected an integer, got a number .nan");
        CliRunner.Result hex = hardware("0x50", "0b1000", "gpus", "--vendor", "nvidia");
        assertThat(hex.exitCode()).as(hex.err()).isZero();
        assertThat(hex.out()).containsPattern("(?m)^my-gpu +gpu +My GPU +1 +80 ")
                .containsPattern("(?m)^my-sys +\\w+ +My System +8 +80 ");
    }

    @Test
    void aFileWithThousandsOfProblemsPrintsAHundredAndACount() throws Exception {
        StringBuilder sb = new StringBuilder("schemaVersion: 1\ngpus:\n");
        for (int i = 0; i < 2000; i++) {
            sb.append("  - id: g").append(i).append("\n    bogus: 1\n");
        }
        Path f = write(sb.toString());
        CliRunner.Result r = CliRunner.run("catalog", "validate", f.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        var lines = r.err().lines().toList();
        assertThat(lines).hasSize(101);
        assertThat(lines.get(100)).isEqualTo("llmplan catalog validate: " + f + ": and 11900 more problems (the first 100 are shown)");
    }

    @Test
    void anArchitectureBeyondAnyParameterCountIsRefused() throws Exception {
        String huge = MODEL.replace("LAYERS", "10000").replace("hidden: 4096", "hidden: 1000000")
                .replace("ffn: 11008", "ffn: 1000000").replace("heads: 32\n", "heads: 10000\n")
                .replace("kvHeads: 32", "kvHeads: 10000").replace("headDim: 128", "headDim: 100000");
        CliRunner.Result r = CliRunner.run("catalog", "validate", write(huge).toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("the architecture gives more than 1e17 parameters");
    }
}
