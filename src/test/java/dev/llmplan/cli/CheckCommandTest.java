package dev.llmplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CheckCommandTest {
    @TempDir
    Path dir;

    private static final String PLAN = """
            schemaVersion: 1
            entries:
              - name: fits-easily
                model: mistral-7b
                workload: {quant: q4_k_m, context: 4096}
                hardware: {gpu: rtx-4090}
                requirements: {minHeadroomPercent: 20, maxGpus: 1, minContext: 8k}
              - name: too-big
                model: llama-2-70b
                workload: {quant: fp16}
                hardware: {gpu: 2x rtx-4090}
                requirements: {maxGpus: 1, maxCostUsd: 1000}
            """;

    private CliRun run(String... args) {
        return CliRun.of(dir, args);
    }

    private Path plan(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void tableNamesEachFailedRequirementAndByHowMuch() throws Exception {
        Path p = plan("plan.yaml", PLAN);
        CliRun r = run("check", p.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("fits-easily", "pass", "too-big", "FAIL", "1 of 2 entries pass");
        // 70B in fp16 is about 128 GiB of weights: it cannot fit 2 x 24 GiB
        assertThat(r.out()).containsPattern("FAIL too-big: fits: does not fit: card \\d \\(rtx-4090\\) needs [0-9.]+ GiB of 24.00 GiB, [0-9.]+ GiB over");
        assertThat(r.out()).contains("FAIL too-big: maxGpus: uses 2 GPUs, 1 more than the maximum of 1");
        assertThat(r.out()).containsPattern("FAIL too-big: maxCostUsd: purchase \\$[0-9,]+ is \\$[0-9,]+ over \\$1,000");
    }

    @Test
    void jsonAndYamlAreOneDocumentFromTheSameTree() throws Exception {
        Path p = plan("plan.yaml", PLAN);
        CliRun json = run("check", p.toString(), "--format", "json");
        CliRun yaml = run("check", p.toString(), "--format", "yaml");
        assertThat(json.exit()).isEqualTo(1);
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc).isEqualTo(new ObjectMapper(new YAMLFactory()).readTree(yaml.out()));
        assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(doc.get("passed").asBoolean()).isFalse();
        assertThat(doc.at("/summary/failed").asInt()).isEqualTo(1);
        JsonNode first = doc.get("entries").get(0);
        assertThat(first.get("name").asText()).isEqualTo("fits-easily");
        assertThat(first.get("line").asInt()).isEqualTo(3);
        assertThat(first.at("/memory/totalBytes").isIntegralNumber()).isTrue();
        assertThat(first.at("/hardware/cards/0/capacityBytes").asLong()).isEqualTo(24L << 30); // RTX 4090: 24 GiB
        assertThat(first.at("/workload/context").asInt()).isEqualTo(4096);
        JsonNode reqs = first.get("requirements");
        assertThat(reqs.findValuesAsText("requirement")).containsExactly("fits", "minHeadroomPercent", "maxGpus", "minContext");
        assertThat(reqs.findValues("passed")).allMatch(JsonNode::asBoolean);
        JsonNode second = doc.get("entries").get(1);
        assertThat(second.get("requirements").findValuesAsText("requirement")).containsExactly("fits", "maxGpus", "maxCostUsd");
        assertThat(second.get("requirements").findValues("passed")).extracting(JsonNode::asBoolean).containsExactly(false, false, false);
    }

    @Test
    void csvAndMarkdownHaveOneRowPerEntry() throws Exception {
        Path p = plan("plan.yaml", PLAN);
        String csv = run("check", p.toString(), "--format", "csv").out();
        assertThat(csv.lines()).hasSize(3);
        assertThat(csv.lines().findFirst().orElseThrow())
                .isEqualTo("entry,model,hardware,mode,perGpuUsedBytes,capacityBytes,headroomPercent,passed,failedRequirements");
        // Machine-readable cells: raw bytes and a boolean, not "12.3 GiB" or "FAIL".
        assertThat(csv.lines().skip(1)).allSatisfy(l -> assertThat(l.split(",")[4]).matches("\\d+"))
                .anySatisfy(l -> assertThat(l.split(",")[7]).isEqualTo("false"));
        String md = run("check", p.toString(), "--format", "markdown").out();
        assertThat(md.lines()).hasSize(4).anyMatch(l -> l.startsWith("| too-big |"));
    }

    @Test
    void junitReportHasOneTestCasePerEntryAndParsesAsXml() throws Exception {
        Path p = plan("plan.yaml", PLAN);
        Path report = dir.resolve("report.xml");
        assertThat(run("check", p.toString(), "--junit", report.toString()).exit()).isEqualTo(1);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(2);
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("fits-easily");
        assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
        Element failure = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("fits, maxGpus, maxCostUsd");
        assertThat(failure.getAttribute("message")).contains("maxGpus: uses 2 GPUs, 1 more than the maximum of 1");
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("2");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void invalidPlanExitsThreeWithEveryProblemAndWritesNothing() throws Exception {
        Path p = plan("bad.yaml", """
                schemaVersion: 1
                entries:
                  - name: one
                    model: no-such-model
                    workload: {quant: 3bit, mode: dance}
                    hardware: {gpu: rtx-9999}
                  - name: two
                    model: mistral-7b
                    workload: {batch: 0}
                    hardware: {gpu: rtx-4090}
                """);
        Path report = dir.resolve("report.xml");
        CliRun r = run("check", p.toString(), "--junit", report.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(Files.exists(report)).isFalse();
        assertThat(r.err().lines()).allMatch(l -> l.startsWith("llmplan check: " + p + ":"));
        assertThat(r.err()).contains(p + ":4: one: model: unknown model 'no-such-model'", p + ":5: one: workload.quant:",
                p + ":5: one: workload.mode: unknown mode 'dance'", p + ":6: one: hardware.gpu: unknown GPU 'rtx-9999'",
                p + ":9: two: workload.batch: must be at least 1, got 0");
        assertThat(r.err().lines()).hasSize(5);
    }

    @Test
    void severalFilesAreCheckedTogetherAndMissingFilesAreBadData() throws Exception {
        Path a = plan("a.yaml", PLAN);
        Path b = plan("b.yaml", "schemaVersion: 1\nentries:\n  - {name: small, model: 1B, hardware: {gpu: rtx-4090}}\n");
        CliRun r = run("check", b.toString(), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        CliRun both = run("check", a.toString(), b.toString(), "--format", "json");
        assertThat(new ObjectMapper().readTree(both.out()).at("/summary/entries").asInt()).isEqualTo(3);
        CliRun missing = run("check", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("nope.yaml: no such file");
        assertThat(run("check").exit()).isEqualTo(2);
    }

    @Test
    void decodeSpeedRequirementUsesTheMemoryBoundEstimate() throws Exception {
        Path p = plan("speed.yaml", """
                schemaVersion: 1
                entries:
                  - name: fast-enough
                    model: mistral-7b
                    workload: {quant: q4_k_m}
                    hardware: {gpu: rtx-4090}
                    requirements: {minDecodeTokensPerSecond: 50}
                  - name: too-slow
                    model: mistral-7b
                    workload: {quant: q4_k_m}
                    hardware: {gpu: rtx-4090}
                    requirements: {minDecodeTokensPerSecond: 1000}
                """);
        CliRun r = run("check", p.toString(), "--format", "json");
        JsonNode doc = new ObjectMapper().readTree(r.out());
        // RTX 4090: 1008 GB/s x 0.6 / (about 4.3 GB of q4_k_m weights + 0.5 GiB KV) = about 125 tokens/s
        double speed = doc.at("/entries/0/speed/decodeTokensPerSecondPerSequence").asDouble();
        assertThat(speed).isBetween(100.0, 150.0);
        assertThat(doc.at("/entries/0/passed").asBoolean()).isTrue();
        assertThat(doc.at("/entries/1/requirements/1/message").asText()).endsWith("below 1000.0");
        assertThat(r.exit()).isEqualTo(1);
    }
}
