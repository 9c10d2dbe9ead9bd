package dev.llmplan.cli;

import dev.llmplan.request.Options;
import dev.llmplan.request.UserOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plan files, the command line and the shell take their settings from one option table, so every
 * workload or hardware option of {@code fit} is also a plan-file key, and a plan using each one runs.
 */
class PlanKeysTest {
    @TempDir
    Path dir;

    @Test
    void everyWorkloadAndHardwareOptionOfFitIsAPlanKey() {
        CommandLine fit = Cli.create(new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                System.in, Map.of())).getSubcommands().get("fit");
        for (UserOption o : Options.usedBy(UserOption.Use.FIT)) {
            assertThat(fit.getCommandSpec().findOption(o.flag())).as(o.flag()).isNotNull();
            assertThat(o.usedBy(UserOption.Use.PLAN)).as("%s has a plan-file key", o.flag()).isTrue();
        }
    }

    @Test
    void aPlanUsingEverySettingRuns() throws Exception {
        // One entry per group of settings that make sense together; together they use every plan key.
        Path plan = dir.resolve("all.yaml");
        Files.writeString(plan, """
                schemaVersion: 1
                entries:
                  - name: serve
                    model: llama-2-13b
                    workload: {quant: gptq-4bit, groupSize: 64, mode: inference, context: 4k, batch: 2, kvCache: fp8,
                               runtime: vllm, flashAttention: true, mfu: 0.4, prompt: 512, maxNumSeqs: 128,
                               maxNumBatchedTokens: 4096, gpuMemoryUtilization: 0.85, enforceEager: true}
                    hardware: {gpu: 2x rtx-4090, nodes: 1, parallel: tp, reserve: 1GiB, minHeadroom: 10}
                  - name: offload
                    model: llama-2-70b
                    workload: {quant: q4_k_m}
                    hardware: {gpu: rtx-4090, ram: 128GiB, ignoreUsed: true, gpuLayers: 60, ramBandwidth: 102.4}
                  - name: experts
                    model: mixtral-8x7b
                    workload: {quant: q4_k_m, runtime: llama.cpp, cpuMoe: false, nCpuMoe: 16}
                    hardware: {gpu: rtx-4060-ti-16gb}
                  - name: finetune
                    model: llama-2-7b
                    workload: {mode: lora, precision: bf16-mixed, optimizer: adamw-8bit, gradCheckpointing: full,
                               loraRank: 8, loraTargets: [q_proj, v_proj], loraDropout: 0.05, trainTokens: 10M}
                    hardware: {gpu: a100-80gb}
                  - name: lora-fsdp-blocks
                    model: llama-2-7b
                    workload: {mode: lora, zero: fsdp, fsdpWrap: blocks, trainer: litgpt}
                    hardware: {gpu: 2x a100-80gb}
                  - name: zero
                    model: llama-2-13b
                    workload: {mode: train, zero: 3, offload: cpu, gradAccumulation: 1}
                    hardware: {gpu: 8x a100-80gb}
                  - name: opt-13b-ppo
                    model: opt-13b
                    workload: {mode: rlhf, rewardModel: 350M, criticModel: 350M, context: 512, zero: 3}
                    hardware: {gpu: 8x a100-80gb}
                  - name: prompt-tuning
                    model: llama-2-7b
                    workload: {mode: prompt, virtualTokens: 100}
                    hardware: {gpu: a100-80gb}
                  - name: speculative-multi-lora
                    model: llama-3.1-70b
                    workload: {quant: fp8, runtime: vllm, draft: llama-3.2-1b, draftQuant: fp8, draftAcceptance: 0.7,
                               loraSlots: 2, loraRank: 16}
                    hardware: {gpu: 2x h100-sxm5}
                  - name: vision
                    model: gemma-3-27b
                    workload: {images: 2}
                    hardware: {gpu: a100-80gb}
                """);
        String text = Files.readString(plan);
        for (UserOption o : Options.usedBy(UserOption.Use.PLAN)) {
            assertThat(text).as("the plan uses %s", o.key()).containsPattern("[{ ]" + o.key() + ":");
        }
        CliRunner.Result r = CliRunner.run("check", plan.toString(), "--format", "json");
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isIn(0, 1);
        assertThat(r.out()).contains("\"offload\"").contains("\"prompt-tuning\"").contains("\"draft\"")
                .contains("\"visionEncoder\"");
    }

    @Test
    void aSettingInTheWrongSectionSaysWhereItBelongs() throws Exception {
        Path plan = dir.resolve("misplaced.yaml");
        Files.writeString(plan, """
                schemaVersion: 1
                entries:
                  - name: a
                    model: llama-2-7b
                    workload: {ram: 64GiB}
                    hardware: {gpu: rtx-4090}
                """);
        CliRunner.Result r = CliRunner.run("check", plan.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("workload.ram: belongs in the hardware section (hardware.ram)");
    }

    @Test
    void optionsWithFixedValuesHaveDistinctLabelsForCompletionScripts() {
        List<String> labels = Options.all().stream().filter(o -> o.values() != null).map(UserOption::label).toList();
        assertThat(labels).doesNotHaveDuplicates();
    }
}
