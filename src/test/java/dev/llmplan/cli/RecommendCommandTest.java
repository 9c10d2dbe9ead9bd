package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecommendCommandTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context ctx = new Context(new PrintWriter(out), new PrintWriter(err), new ByteArrayInputStream(new byte[0]), Map.of());
        int code = Cli.create(ctx).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonIsRankedByCostWithExactBytes() throws Exception {
        Run r = run("recommend", "llama-2-70b", "--quant", "4bit", "--format", "json", "--top", "5");
        assertThat(r.code()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
        JsonNode rows = doc.get("configurations");
        assertThat(rows.size()).isEqualTo(5);
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).get("costUsd").asDouble()).isGreaterThanOrEqualTo(rows.get(i - 1).get("costUsd").asDouble());
        }
        assertThat(rows.get(0).get("perGpuUsedBytes").isIntegralNumber()).isTrue();
        assertThat(rows.get(0).get("verdict").asText()).isIn("fits", "tight");
    }

    @Test
    void maxGpusOneListsOnlySingleCards() throws Exception {
        Run r = run("recommend", "llama-2-70b", "--quant", "4bit", "--max-gpus", "1", "--format", "json");
        JsonNode rows = new ObjectMapper().readTree(r.out()).get("configurations");
        assertThat(rows.size()).isPositive();
        rows.forEach(row -> assertThat(row.get("gpuCount").asInt()).isEqualTo(1));
    }

    @Test
    void everyFormatRendersAndBadOptionsAreUsageErrors() {
        for (String f : new String[]{"table", "yaml", "csv", "markdown"}) {
            Run r = run("recommend", "llama-2-70b", "--quant", "4bit", "--format", f);
            assertThat(r.code()).as(f).isZero();
            assertThat(r.out()).as(f).contains("rtx");
        }
        Run bad = run("recommend", "llama-2-70b", "--sort", "price");
        assertThat(bad.code()).isEqualTo(Cli.USAGE);
        assertThat(bad.err()).startsWith("llmplan recommend: --sort expects");
        assertThat(run("recommend", "7B", "--consumer-only", "--datacenter-only").code()).isEqualTo(Cli.USAGE);
    }

    @Test
    void modelsFitsListsTheSevenToThirtyBClassOnTwo4060Ti() throws Exception {
        Run r = run("models", "--fits", "2x rtx-4060-ti-16gb", "--quant", "4bit", "--format", "json");
        assertThat(r.code()).isZero();
        JsonNode models = new ObjectMapper().readTree(r.out()).get("models");
        java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
        models.forEach(m -> byId.put(m.get("id").asText(), m));
        assertThat(byId).containsKeys("llama-2-7b", "llama-2-13b");
        // 70B at 4 bits needs more than two 16 GiB cards; the list holds only what fits (checked below).
        assertThat(byId).doesNotContainKeys("llama-2-70b");
        // highest precision that fits: 7B stays 16-bit
        assertThat(byId.get("llama-2-7b").get("quant").asText()).isEqualTo("fp16");
        long prev = 0;
        for (JsonNode m : models) {
            assertThat(m.get("verdict").asText()).isEqualTo("fits");
            assertThat(m.get("errorBand").get("highBytes").asLong()).isGreaterThanOrEqualTo(m.get("errorBand").get("lowBytes").asLong());
            assertThat(m.get("parameters").asLong()).isGreaterThanOrEqualTo(prev);
            prev = m.get("parameters").asLong();
        }
    }

    @Test
    void csvCarriesRawNumbersInRankOrder() {
        CliRunner.Result r = CliRunner.run("recommend", "llama-2-70b", "--quant", "4bit", "--top", "5", "--format", "csv");
        assertThat(r.exitCode()).isZero();
        var lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("rank,hardware,gpus,strategy,perGpuUsedBytes,capacityBytes,headroomPercent");
        assertThat(lines).hasSize(6);
        double previous = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            assertThat(Long.parseLong(cells[4])).isLessThanOrEqualTo(Long.parseLong(cells[5]));
            double cost = Double.parseDouble(cells[11]);
            assertThat(cost).isGreaterThanOrEqualTo(previous); // --sort cost (the default)
            previous = cost;
        }
    }

    /** One cost basis per listing: with --rent and --train-tokens every row is a whole run's cost, unknown ones last. */
    @Test
    void rentedTrainingRunsAreRankedByTheCostOfTheWholeRun() throws Exception {
        for (String[] args : new String[][] {{"recommend", "175B", "--mode", "train", "--train-tokens", "300B", "--rent",
                "--top", "40", "--format", "json"}, {"recommend", "7B", "--mode", "qlora", "--train-tokens", "100M", "--rent",
                "--top", "400", "--format", "json"}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertThat(r.exitCode()).isZero();
            com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
            assertThat(doc.get("search").get("costBasis").asText()).isEqualTo("trainingRun");
            double last = 0;
            boolean unknownSeen = false;
            for (com.fasterxml.jackson.databind.JsonNode row : doc.get("configurations")) {
                assertThat(row.get("costBasis").asText()).isEqualTo("rent for the training run");
                if (row.get("costUsd").isNull()) {
                    unknownSeen = true;
                    assertThat(row.get("costUnknown").asText()).isNotBlank();
                    continue;
                }
                assertThat(unknownSeen).as("a priced row after an unknown one").isFalse();
                double cost = row.get("costUsd").asDouble();
                assertThat(cost).isGreaterThanOrEqualTo(last);
                // The run's cost is the hourly price times the training time.
                assertThat(row.get("trainingSeconds").isNull()).isFalse();
                last = cost;
            }
        }
    }
}
