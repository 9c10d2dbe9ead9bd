package dev.llmplan;

import dev.llmplan.cli.CliRunner;
import dev.llmplan.modelfile.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole rendered output of every command, compared byte for byte with the files under
 * {@code src/test/resources/golden/}. A change in shape or number fails here first.
 *
 * <p>When a change is meant, regenerate and review the diff:
 * {@code mvn -B test -Dtest=GoldenTest -Dgolden.update=true && git diff src/test/resources/golden}.
 */
class GoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden");
    /** A tiny model folder written by the test (relative, so the path printed is the same everywhere). */
    static final Path TINY = Path.of("target/golden-models/tiny-llama");

    record Case(String name, int exitCode, String... args) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        formats(c, "fit-70b-8bit", 0, "fit", "70B", "--quant", "8bit");
        formats(c, "fit-llama2-13b-q4km-2x4060ti", 0, "fit", "llama-2-13b", "--quant", "q4_k_m", "--gpu", "2x rtx-4060-ti-16gb");
        formats(c, "fit-llama2-7b-qlora-4090-explain", 0, "fit", "llama-2-7b", "--mode", "qlora", "--gpu", "rtx-4090",
                "--explain", "--no-ladder");
        formats(c, "fit-llama3-8b-vllm-h100", 0, "fit", "llama-3-8b", "--runtime", "vllm", "--gpu", "h100", "--context", "8k");
        c.add(new Case("fit-opt175b-offload.txt", 0, "fit", "opt-175b", "--gpu", "rtx-4090", "--ram", "400GiB", "--no-ladder"));
        c.add(new Case("fit-opt175b-offload.json", 0, "fit", "opt-175b", "--gpu", "rtx-4090", "--ram", "400GiB", "--no-ladder",
                "--format", "json"));
        c.add(new Case("fit-llama2-13b-train-zero3.json", 0, "fit", "llama-2-13b", "--mode", "train", "--gpu", "8x a100-80gb",
                "--zero", "3", "--format", "json"));
        c.add(new Case("fit-mixtral-gb-units.txt", 0, "fit", "mixtral-8x7b", "--quant", "q4_k_m", "--gpu", "rtx-4090,rtx-3090",
                "--units", "gb", "--no-ladder"));
        c.add(new Case("fit-does-not-fit-check.txt", 1, "fit", "70B", "--gpu", "a100-80gb", "--quant", "fp16", "--check",
                "--no-ladder"));
        // Issue 20: experts in host memory, llama.cpp partial offload run by the CPU, the CPU alone.
        c.add(new Case("fit-mixtral-cpu-moe-4060ti.txt", 0, "fit", "mixtral-8x7b", "--quant", "q4_k_m", "--runtime", "llama.cpp",
                "--gpu", "rtx-4060-ti-16gb", "--cpu-moe", "--no-ladder"));
        c.add(new Case("fit-mixtral-cpu-moe-4060ti.json", 0, "fit", "mixtral-8x7b", "--quant", "q4_k_m", "--runtime", "llama.cpp",
                "--gpu", "rtx-4060-ti-16gb", "--cpu-moe", "--no-ladder", "--format", "json"));
        c.add(new Case("fit-llama2-13b-ngl20-4090.txt", 0, "fit", "llama-2-13b", "--quant", "q4_k_m", "--runtime", "llama.cpp",
                "--gpu", "rtx-4090", "--gpu-layers", "20", "--no-ladder"));
        c.add(new Case("fit-llama2-70b-q4km-4090-layers.txt", 0, "fit", "llama-2-70b", "--quant", "q4_k_m", "--gpu", "rtx-4090",
                "--no-ladder"));
        c.add(new Case("fit-llama2-7b-cpu.txt", 0, "fit", "llama-2-7b", "--gpu", "cpu", "--ram", "32GiB"));
        c.add(new Case("fit-llama2-7b-cpu.json", 0, "fit", "llama-2-7b", "--gpu", "cpu", "--ram", "32GiB", "--format", "json"));
        c.add(new Case("fit-local-folder.txt", 0, "fit", TINY.toString(), "--gpu", "rtx-4090", "--no-ladder"));
        // Serving add-ons (issue 20): a draft model, served LoRA slots, vision encoders, vLLM's CUDA graphs.
        c.add(new Case("fit-llama31-70b-fp8-vllm-draft.txt", 0, "fit", "llama-3.1-70b", "--quant", "fp8", "--runtime", "vllm",
                "--gpu", "2x h100-sxm5", "--draft", "llama-3.2-1b", "--no-ladder"));
        c.add(new Case("fit-llama31-70b-fp8-vllm-draft-acceptance.json", 0, "fit", "llama-3.1-70b", "--quant", "fp8",
                "--runtime", "vllm", "--gpu", "2x h100-sxm5", "--draft", "llama-3.2-1b", "--draft-acceptance", "0.7",
                "--no-ladder", "--format", "json"));
        c.add(new Case("fit-llama31-8b-vllm-lora-slots-explain.txt", 0, "fit", "llama-3.1-8b", "--runtime", "vllm",
                "--lora-slots", "4", "--lora-rank", "64", "--gpu", "h100-sxm5", "--explain", "--no-ladder"));
        c.add(new Case("fit-llama31-8b-vllm-lora-slots.json", 0, "fit", "llama-3.1-8b", "--runtime", "vllm",
                "--lora-slots", "4", "--lora-rank", "64", "--format", "json"));
        c.add(new Case("fit-gemma3-27b.txt", 0, "fit", "gemma-3-27b"));
        c.add(new Case("fit-gemma3-27b.json", 0, "fit", "gemma-3-27b", "--format", "json"));
        c.add(new Case("fit-llama32-11b-vision-explain.txt", 0, "fit", "llama-3.2-11b-vision", "--images", "2", "--explain",
                "--no-ladder"));
        c.add(new Case("fit-llama2-7b-lora-fsdp-2xa100-explain.txt", 0, "fit", "llama-2-7b", "--mode", "lora", "--zero",
                "fsdp", "--grad-accumulation", "1", "--gpu", "2x a100-80gb-sxm4", "--explain", "--no-ladder"));
        formats(c, "recommend-llama2-70b-4bit", 0, "recommend", "llama-2-70b", "--quant", "4bit", "--top", "5");
        c.add(new Case("recommend-175b-train-rent.txt", 0, "recommend", "175B", "--mode", "train", "--train-tokens", "300B",
                "--rent", "--top", "5"));
        c.add(new Case("recommend-nothing-fits.txt", 0, "recommend", "llama-2-70b", "--max-gpus", "1", "--consumer-only"));
        formats(c, "models-fits-2x4060ti-4bit", 0, "models", "--fits", "2x rtx-4060-ti-16gb", "--quant", "4bit", "--developer", "Meta");
        formats(c, "models-family-llama2", 0, "models", "--family", "Llama 2");
        formats(c, "gpus-nvidia-datacenter", 0, "gpus", "--vendor", "nvidia", "--category", "datacenter");
        formats(c, "check-home-rig", 0, "check", "examples/home-rig-4bit.yaml");
        formats(c, "check-failing-home-rig", 1, "check", "examples/failing-home-rig.yaml");
        formats(c, "inspect-tiny-llama", 0, "inspect", TINY.toString());
        formats(c, "formats", 0, "formats");
        c.add(new Case("catalog-show-llama2-7b.yaml", 0, "catalog", "show", "llama-2-7b"));
        c.add(new Case("catalog-show-rtx4090.json", 0, "catalog", "show", "rtx-4090", "--format", "json"));
        return c.stream();
    }

    /** The case in every output format; the table is the default (no --format). */
    private static void formats(List<Case> out, String name, int exit, String... args) {
        out.add(new Case(name + ".txt", exit, args));
        for (String[] f : new String[][] {{"json", "json"}, {"yaml", "yaml"}, {"csv", "csv"}, {"markdown", "md"}}) {
            String[] withFormat = java.util.Arrays.copyOf(args, args.length + 2);
            withFormat[args.length] = "--format";
            withFormat[args.length + 1] = f[0];
            out.add(new Case(name + "." + f[1], exit, withFormat));
        }
    }

    @BeforeAll
    static void writeTinyModel() throws IOException {
        Files.createDirectories(TINY);
        Files.writeString(TINY.resolve("config.json"), Fixtures.llamaConfig(256, 2, 4, 2, 512, 300, 2048, "bfloat16"));
        Fixtures.safetensors(TINY.resolve("model.safetensors"), Fixtures.llamaTensors("BF16", 256, 2, 4, 2, 512, 300));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputMatchesTheGoldenFile(Case c) throws IOException {
        CliRunner.Result r = CliRunner.run(c.args());
        assertThat(r.exitCode()).as("exit code of %s; stderr: %s", String.join(" ", c.args()), r.err()).isEqualTo(c.exitCode());
        Path golden = DIR.resolve(c.name());
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(golden, r.out(), StandardCharsets.UTF_8);
            return;
        }
        assertThat(golden).as("golden file %s (regenerate with -Dgolden.update=true)", golden).exists();
        assertThat(r.out()).as("output of llmplan %s", String.join(" ", c.args()))
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
