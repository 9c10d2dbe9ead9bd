package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Small promises of the output contract, each once broken. */
class OutputContractTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandAnswersVersion() {
        for (String cmd : new String[] {"fit", "recommend", "models", "gpus", "check", "inspect", "formats"}) {
            CliRunner.Result r = CliRunner.run(cmd, "--version");
            assertThat(r.exitCode()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).startsWith("llmplan ");
        }
    }

    @Test
    void gpusHonoursUnits() {
        String gib = CliRunner.run("gpus", "--vendor", "nvidia", "--category", "datacenter").out();
        String gb = CliRunner.run("gpus", "--vendor", "nvidia", "--category", "datacenter", "--units", "gb").out();
        assertThat(gib).contains("GiB/GPU");
        // An A100 80GB holds 80 GiB = 85.90 GB (80 x 2^30 / 10^9).
        assertThat(gb).contains("GB/GPU").containsPattern("a100-80gb-sxm4 .* 85\\.9 ");
    }

    @Test
    void unknownFiguresAreNullInJson() throws Exception {
        Path mine = dir.resolve("mine.yaml");
        Files.writeString(mine, """
                schemaVersion: 1
                gpus:
                  - {id: mystery-card, name: Mystery Card, vendor: nvidia, category: consumer, memoryGiB: 16, source: test}
                """);
        JsonNode doc = new ObjectMapper().readTree(CliRunner.run("gpus", "--catalog", mine.toString(), "--format", "json").out());
        for (JsonNode g : doc.get("gpus")) {
            if (g.get("id").asText().equals("mystery-card")) {
                assertThat(g.get("bandwidthGBps").isNull()).isTrue();
                assertThat(g.get("fp16Tflops").isNull()).isTrue();
                return;
            }
        }
        throw new AssertionError("mystery-card not listed");
    }

    @Test
    void anUnknownCatalogEntryPointsAtBothLists() {
        CliRunner.Result r = CliRunner.run("catalog", "show", "nosuch-thing");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("see 'llmplan models' and 'llmplan gpus'");
    }

    @Test
    void modelsFitsNeverUpcastsAFourBitCheckpoint() throws Exception {
        // gpt-oss ships its experts in MXFP4 (4.25 bits): int8 would only add memory.
        JsonNode doc = new ObjectMapper().readTree(CliRunner.run("models", "--fits", "rtx-4090", "--quant", "4bit",
                "--family", "gpt-oss", "--format", "json").out());
        assertThat(doc.get("models")).isNotEmpty();
        for (JsonNode m : doc.get("models")) {
            assertThat(m.get("quant").asText()).as(m.get("id").asText()).isEqualTo("mxfp4");
        }
    }

    /** A bad workload value is one usage error up front, not a note on every model the listing skips. */
    @Test
    void modelsFitsRejectsABadValueOnce() {
        for (String[] bad : new String[][] {{"--context", "abc"}, {"--lora-dropout", "2"}}) {
            CliRunner.Result r = CliRunner.run("models", "--fits", "a100-80gb", bad[0], bad[1]);
            assertThat(r.exitCode()).as(bad[0]).isEqualTo(2);
            assertThat(r.out()).as(bad[0]).isEmpty();
            assertThat(r.err().strip().lines()).as(bad[0]).hasSize(1).first().asString().contains(bad[0]);
        }
    }
}
