package dev.llmplan.planfile;

import dev.llmplan.yaml.DataFileException;
import dev.llmplan.yaml.Problem;
import dev.llmplan.request.Options;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanParserTest {
    private static final List<PlanKey> KEYS = Options.planKeys();

    private static final String VALID = """
            schemaVersion: 1
            entries:
              - name: rig
                model: llama-2-13b
                workload:
                  quant: q4_k_m
                  context: 8k
                  batch: 2
                  flashAttention: false
                  loraTargets: [q_proj, v_proj]
                  zero: 3
                hardware:
                  gpu: 2x rtx-4060-ti-16gb
                  nodes: 1
                requirements:
                  minHeadroomPercent: 10
                  maxGpus: 2
                  minContext: 4k
                  maxCostUsd: 1000
                  minDecodeTokensPerSecond: 12.5
            """;

    @Test
    void readsEveryFieldWithTheCliSpelling() {
        PlanFile plan = PlanParser.parse(VALID, "p.yaml", KEYS);
        assertThat(plan.entries()).hasSize(1);
        PlanEntry e = plan.entries().get(0);
        assertThat(e.name()).isEqualTo("rig");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.model()).isEqualTo(new PlanEntry.Value("llama-2-13b", 4));
        assertThat(e.settings().get("context")).isEqualTo(new PlanEntry.Value("8192", 7)); // 8k = 8 x 1024, as on the CLI
        assertThat(e.settings().get("flashAttention").text()).isEqualTo("off");
        assertThat(e.settings().get("loraTargets").text()).isEqualTo("q_proj,v_proj");
        assertThat(e.settings().get("zero").text()).isEqualTo("3");
        assertThat(e.settings().keySet()).containsExactly("quant", "context", "batch", "flashAttention", "loraTargets", "zero", "gpu", "nodes");
        assertThat(e.gpu().text()).isEqualTo("2x rtx-4060-ti-16gb");
        assertThat(e.requirements()).isEqualTo(new Requirements(10.0, 2, 4096, 1000.0, 12.5));
    }

    @Test
    void reportsEveryProblemWithItsLine() {
        String text = """
                schemaVersion: 1
                entries:
                  - name: a
                    model: llama-2-13b
                    workload:
                      contxt: 8k
                      batch: two
                      flashAttention: maybe
                    hardware:
                      gpu: rtx-4090
                      nodes: 0
                    requirements:
                      minHeadroomPercent: 150
                      maxCostUsd: 0
                      minContext: lots
                  - name: a
                    model: [x]
                    hardware: rtx-4090
                  - just a string
                """;
        List<Problem> problems = new ArrayList<>();
        PlanParser.parse(text, "p.yaml", problems, KEYS);
        assertThat(problems).extracting(Problem::line).containsExactlyInAnyOrder(6, 7, 8, 11, 13, 14, 15, 16, 17, 18, 19);
        assertThat(problems).extracting(Problem::toString).contains(
                "p.yaml:6: a: workload.contxt: unknown key (did you mean 'context'?)",
                "p.yaml:7: a: workload.batch: expected a whole number, got \"two\"",
                "p.yaml:13: a: requirements.minHeadroomPercent: must be between 0 and 100, got 150",
                "p.yaml:16: a: name: duplicate entry name (first at line 3)",
                "p.yaml:18: a: hardware: expected a mapping, got a string");
    }

    @Test
    void topLevelProblems() {
        assertThatThrownBy(() -> PlanParser.parse("schemaVersion: 2\nentries: []\nextra: 1\n", "p.yaml", KEYS))
                .isInstanceOf(DataFileException.class)
                .satisfies(e -> assertThat(((DataFileException) e).problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                        "p.yaml:1: schemaVersion: unsupported schema version 2 (this llmplan reads 1)",
                        "p.yaml:2: entries: must list at least one entry",
                        "p.yaml:3: extra: unknown key; expected one of schemaVersion, entries"));
        assertThatThrownBy(() -> PlanParser.parse("entries:\n  - name: x\n  bad: [\n", "p.yaml", KEYS))
                .isInstanceOf(DataFileException.class).hasMessageContaining("p.yaml");
        assertThatThrownBy(() -> PlanParser.parse("- 1\n", "p.yaml", KEYS)).isInstanceOf(DataFileException.class);
    }

    @Test
    void missingRequiredFields() {
        List<Problem> problems = new ArrayList<>();
        PlanParser.parse("schemaVersion: 1\nentries:\n  - description: nothing else\n", "p.yaml", problems, KEYS);
        assertThat(problems).extracting(Problem::toString).containsExactlyInAnyOrder(
                "p.yaml:3: entry at line 3: name: is required",
                "p.yaml:3: entry at line 3: model: is required",
                "p.yaml:3: entry at line 3: hardware: is required (e.g. hardware: {gpu: \"2x rtx-4090\"})");
    }
}
