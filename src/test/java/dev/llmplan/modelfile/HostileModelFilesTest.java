package dev.llmplan.modelfile;

import dev.llmplan.HostileFiles;
import dev.llmplan.cli.CliRunner;
import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 16 #2, #6, #10, #13 on small generated files (HostileCorpusTest runs the large ones in a JVM with a
 * 256 MiB heap).
 */
class HostileModelFilesTest {
    private static final String ESC = "\u001b";

    @TempDir
    Path dir;

    private static void badData(Path f, String fragment) {
        assertThatThrownBy(() -> ModelFiles.read(f))
                .isInstanceOfSatisfying(LlmplanException.class, e -> assertThat(e.kind()).isEqualTo(LlmplanException.Kind.BAD_DATA))
                .hasMessageContaining(fragment);
    }

    @Test
    void overlappingTensorRangesAndDuplicateNamesAreRefused() throws Exception {
        // Was: accepted, so a 30 MB file could report 128 MB of weights.
        Path overlap = dir.resolve("overlap.gguf");
        HostileFiles.ggufOverlapping(overlap);
        badData(overlap, "tensors 'a.weight' and 'b.weight' overlap in the file");
        Path dup = dir.resolve("dup.gguf");
        HostileFiles.ggufDuplicateNames(dup);
        badData(dup, "tensor 'a.weight' appears twice");
        CliRunner.Result r = CliRunner.run("inspect", dup.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void unusedMetadataArraysAreSkippedNotKept() throws Exception {
        Path f = dir.resolve("arrays.gguf");
        HostileFiles.ggufManyArrays(f, 2000, 5000);
        GgufFile g = GgufFile.read(f);
        assertThat(g.metadata()).containsOnlyKeys("general.architecture");
        assertThat(g.tensors()).hasSize(1);
    }

    @Test
    void tensorNamesBeyondGgmlsLimitAreRefused() throws Exception {
        Path f = dir.resolve("long.gguf");
        Files.write(f, new Fixtures.Gguf().bytes(List.of(new Fixtures.G("x".repeat(64), 0, 32))));
        badData(f, "tensor name length 64 exceeds 63");
        Files.write(f, new Fixtures.Gguf().bytes(List.of(new Fixtures.G("x".repeat(63), 0, 32))));
        assertThat(GgufFile.read(f).tensors()).hasSize(1);
    }

    @Test
    void escapeSequencesFromAGgufNeverReachTheOutput() throws Exception {
        Path f = dir.resolve("evil.gguf");
        HostileFiles.ggufEscapeName(f, "nice" + ESC + "[31mRED" + ESC + "]0;title\u0007\u202emodel\r\nnext");
        for (String format : List.of("table", "json", "yaml", "csv", "markdown")) {
            CliRunner.Result inspect = CliRunner.run("inspect", f.toString(), "--format", format);
            assertThat(inspect.exitCode()).as(inspect.err()).isZero();
            assertThat(inspect.out()).doesNotContain(ESC).doesNotContain("\u0007").doesNotContain("\u202e").contains("nice?[31mRED");
        }
        CliRunner.Result fit = CliRunner.run("fit", f.toString(), "--no-ladder");
        assertThat(fit.exitCode()).as(fit.err()).isZero();
        assertThat(fit.out() + fit.err()).doesNotContain(ESC).contains("nice?[31mRED?]0;title??model??next");
    }

    @Test
    void escapeSequencesFromConfigJsonAndSafetensorsMetadataAreCleaned() throws Exception {
        Fixtures.safetensors(dir.resolve("model.safetensors"), Fixtures.llamaTensors("BF16", 64, 2, 4, 2, 128, 100));
        String config = Fixtures.llamaConfig(64, 2, 4, 2, 128, 100, 2048, "bfloat16")
                .replace("\"model_type\":\"llama\"", "\"model_type\":\"ll\\u001b[2Jama\",\"_name_or_path\":\"x\\u001b[31m\"");
        Files.writeString(dir.resolve("config.json"), config);
        CliRunner.Result inspect = CliRunner.run("inspect", dir.toString());
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        assertThat(inspect.out()).doesNotContain(ESC).contains("ll?[2jama");
        CliRunner.Result fit = CliRunner.run("fit", dir.toString(), "--no-ladder");
        assertThat(fit.out() + fit.err()).doesNotContain(ESC).contains("x?[31m");

        Path st = dir.resolve("meta/m.safetensors");
        Files.createDirectories(st.getParent());
        HostileFiles.safetensorsMetadata(st, "fo\\u001bo", "bar\\u001b[5m\\u009b");
        CliRunner.Result meta = CliRunner.run("inspect", st.toString(), "--format", "json");
        assertThat(meta.exitCode()).as(meta.err()).isZero();
        assertThat(meta.out()).doesNotContain("\\u001b").doesNotContain("\\u009b").contains("safetensors.fo?o").contains("bar?[5m?");
    }

    @Test
    void fifosNamedLikeModelFilesAreNeverOpened() throws Exception {
        for (String name : List.of("model.gguf", "model.safetensors", "config.json")) {
            Path fifo = dir.resolve("fifo-" + name.replace('.', '-')).resolve(name);
            Files.createDirectories(fifo.getParent());
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is not available");
            // Was: inspect blocked forever opening the FIFO.
            CliRunner.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliRunner.run("inspect", fifo.toString()));
            assertThat(r.exitCode()).as(name).isEqualTo(3);
            assertThat(r.err().lines()).hasSize(1);
        }
        CliRunner.Result fit = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> CliRunner.run("fit", dir.resolve("fifo-model-gguf/model.gguf").toString()));
        assertThat(fit.exitCode()).isEqualTo(3);
        assertThat(fit.err()).contains("not a regular file");
    }
}
