package dev.llmplan;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the real launcher as the README does, from another directory, after `mvn package`. */
class LauncherIT {
    record Run(int code, String out, String err) {
    }

    private static Run launch(String... args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("llmplan").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(System.getProperty("java.io.tmpdir")));
        Path out = File.createTempFile("llmplan-out", ".txt").toPath();
        Path err = File.createTempFile("llmplan-err", ".txt").toPath();
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), java.nio.file.Files.readString(out, StandardCharsets.UTF_8),
                java.nio.file.Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theReadmeCommandPrintsTheBreakdown() throws Exception {
        Run r = launch("fit", "70B", "--quant", "8bit");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("weights 65.19 GiB (70.00 GB)").contains("Fits on");
    }

    @Test
    void exitCodesPassThrough() throws Exception {
        assertThat(launch("fit", "70Q").code()).isEqualTo(2);
        assertThat(launch("fit", "llama-9-70b").code()).isEqualTo(3);
        assertThat(launch("fit", "70B", "--gpu", "a100-80gb", "--quant", "fp16", "--check").code()).isEqualTo(1);
    }

    @Test
    void aNonAsciiHomeAndPathsWorkWithNoLocaleSet() throws Exception {
        // Issue 16 #4: with no LANG (containers, cron) every command exited 4 with InvalidPathException.
        // The shell makes the non-ASCII names from bytes, so this JVM's own locale does not matter.
        Path root = Path.of("").toAbsolutePath();
        Path base = java.nio.file.Files.createTempDirectory("llmplan-locale");
        String catalog = "schemaVersion: 1\ngpus:\n  - {id: my-gpu, name: Mine, vendor: nvidia, category: consumer,"
                + " memoryGiB: 48, source: me}\n";
        String script = """
                set -e
                d="$1/h$(printf '\\303\\266')me"; k="$d/k$(printf '\\303\\244')t"; launcher="$2"
                mkdir -p "$d/.config/llmplan" "$k"
                printf '%s' "$3" > "$d/.config/llmplan/catalog.yaml"
                cp "$d/.config/llmplan/catalog.yaml" "$k/c.yaml"
                run() { env -i PATH="$PATH" HOME="$d" LLMPLAN_CATALOG="$k/c.yaml" bash "$launcher" "$@"; }
                run fit 7B --gpu my-gpu --no-ladder
                run catalog validate "$k/c.yaml"
                """;
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, "bash", base.toString(), root.resolve("llmplan").toString(),
                catalog);
        Path out = File.createTempFile("llmplan-out", ".txt").toPath();
        Path err = File.createTempFile("llmplan-err", ".txt").toPath();
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String o = java.nio.file.Files.readString(out, StandardCharsets.UTF_8);
        String e = java.nio.file.Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(e + o).isZero();
        assertThat(o).contains("On my-gpu").contains("valid");
        assertThat(e).isEmpty();
    }

    @Test
    void jsonOnStdoutAndNothingElse() throws Exception {
        Run r = launch("fit", "llama-2-70b", "--format", "json");
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).startsWith("{").endsWith("}");
    }

    /** A failed write (a full disk) is exit 4 with a message, not a silent success. */
    @Test
    void aFullDiskIsAnErrorNotSuccess() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new File("/dev/full").exists(), "no /dev/full here");
        Path root = Path.of("").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("llmplan").toString(), "fit", "7B")
                .redirectOutput(new File("/dev/full"));
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(4);
        assertThat(err.strip()).startsWith("llmplan: cannot write the output:").doesNotContain("\n");
    }

    /** A reader that stops early (| head) is not an error. */
    @Test
    void aClosedPipeIsNotAnError() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "bash '" + root.resolve("llmplan") + "' models --format json | head -c 10 >/dev/null; "
                + "exit ${PIPESTATUS[0]}");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(err).doesNotContain("cannot write");
    }
}
