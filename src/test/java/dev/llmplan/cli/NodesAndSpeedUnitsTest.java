package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Issue 14 item 12: a counted system is that many nodes; decode speed says per sequence or in total. */
class NodesAndSpeedUnitsTest {

    @Test
    void twoDgxA100AreTwoNodesOfEightNotOneNodeOfSixteen() throws Exception {
        JsonNode hw = CliRunner.json("fit", "llama-2-70b", "--gpu", "2x dgx-a100", "--runtime", "vllm", "--format", "json").get("hardware");
        assertThat(hw.get("gpuCount").asInt()).isEqualTo(16);
        assertThat(hw.get("nodes").asInt()).isEqualTo(2);
        // vLLM: tensor parallel inside each node of 8, pipeline between the two nodes.
        assertThat(hw.get("strategy").asText()).contains("tensor parallel x8 within each node").contains("2 nodes");
        // The same as naming the system once with two nodes.
        JsonNode same = CliRunner.json("fit", "llama-2-70b", "--gpu", "dgx-a100", "--nodes", "2", "--runtime", "vllm", "--format", "json");
        assertThat(same.get("fit").get("cards")).isEqualTo(CliRunner.json("fit", "llama-2-70b", "--gpu", "2x dgx-a100", "--runtime",
                "vllm", "--format", "json").get("fit").get("cards"));
    }

    @Test
    void countedSystemInAListIsAUsageError() {
        CliRunner.Result r = CliRunner.run("fit", "7B", "--gpu", "2x dgx-a100,rtx-4090");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("2 nodes").contains("--nodes");
    }

    @Test
    void decodeSpeedWithABatchIsATotalAndSaysSoWithThePerSequenceFigure() throws Exception {
        CliRunner.Result table = CliRunner.run("fit", "llama-3.1-8b", "--gpu", "rtx-4090", "--batch", "8", "--no-ladder");
        assertThat(table.out()).containsPattern("decode [0-9.,]+ tok/s in total \\(8 sequences, [0-9.,]+ tok/s each\\)");
        assertThat(CliRunner.run("fit", "llama-3.1-8b", "--gpu", "rtx-4090", "--no-ladder").out())
                .containsPattern("decode [0-9.,]+ tok/s \\(one sequence\\)");
        JsonNode plan = CliRunner.json("fit", "llama-3.1-8b", "--gpu", "rtx-4090", "--batch", "8", "--no-ladder", "--format", "json")
                .get("plan");
        assertThat(plan.get("decodeSequences").asInt()).isEqualTo(8);
        assertThat(plan.get("decodeTokensPerSecondPerSequence").asDouble() * 8)
                .isCloseTo(plan.get("decodeTokensPerSecond").asDouble(), within(1e-6));
    }

    @Test
    void recommendSaysItsDecodeColumnIsTheBatchTotal() throws Exception {
        CliRunner.Result r = CliRunner.run("recommend", "llama-3.1-8b", "--batch", "8", "--top", "3");
        assertThat(r.out()).contains("decode tok/s: all 8 sequences of the batch together");
        JsonNode row = CliRunner.json("recommend", "llama-3.1-8b", "--batch", "8", "--top", "3", "--format", "json")
                .get("configurations").get(0);
        int sequences = row.get("decodeSequences").asInt();
        assertThat(sequences % 8).isZero();
        assertThat(row.get("decodeTokensPerSecondPerSequence").asDouble() * sequences)
                .isCloseTo(row.get("decodeTokensPerSecond").asDouble(), within(1e-6));
    }
}
