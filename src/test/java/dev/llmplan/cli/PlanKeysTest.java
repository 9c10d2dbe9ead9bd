package dev.llmplan.cli;

import dev.llmplan.planfile.PlanEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A plan file accepts exactly the workload options the CLI has, so the two lists cannot drift apart. */
class PlanKeysTest {
    @TempDir
    Path dir;

    @Test
    void planWorkloadKeysAreTheCliWorkloadOptions() {
        assertThat(PlanEntry.WORKLOAD_KEYS).containsExactlyElementsOf(WorkloadOptions.KEYS.keySet());
    }

    @Test
    void rlhfSizesAndVirtualTokensWorkInPlans() throws Exception {
        Path plan = dir.resolve("rlhf.yaml");
        Files.writeString(plan, """
                schemaVersion: 1
                entries:
                  - name: opt-13b-ppo
                    model: opt-13b
                    workload: {mode: rlhf, rewardModel: 350M, criticModel: 350M, context: 512, zero: 3}
                    hardware: {gpu: 8x a100-80gb}
                  - name: prompt-tuning
                    model: llama-2-7b
                    workload: {mode: prompt, virtualTokens: 100}
                    hardware: {gpu: a100-80gb}
                """);
        CliRunner.Result r = CliRunner.run("check", plan.toString(), "--format", "json");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }
}
