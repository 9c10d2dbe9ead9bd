package dev.llmplan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Issue 16 #6, #7: @FILE arguments are read only from bounded regular files; anything else is one line, exit 2. */
class ArgumentFilesTest {
    @TempDir
    Path dir;

    @Test
    void anArgumentFileHoldsArgumentsSplitLikePicocliDoes() throws Exception {
        Path args = Files.writeString(dir.resolve("args"), """
                # a comment line
                70B --quant "8bit"   # trailing comment
                --context '4096'
                """);
        CliRunner.Result r = CliRunner.run("fit", "@" + args, "--no-ladder");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("int8").contains("context 4096");
        assertThat(ArgumentFiles.tokens("a \"b c\" 'd \"e\"' \"f\\\"g\" #h i\nj")).containsExactly("a", "b c", "d \"e\"", "f\"g", "j");
    }

    @Test
    void nestedFilesExpandAndAMissingFileStaysAnArgument() throws Exception {
        Path inner = Files.writeString(dir.resolve("inner"), "--quant 8bit");
        Path outer = Files.writeString(dir.resolve("outer"), "70B @" + inner);
        assertThat(CliRunner.run("fit", "@" + outer, "--no-ladder").out()).contains("int8");
        CliRunner.Result missing = CliRunner.run("fit", "@" + dir.resolve("nope"));
        assertThat(missing.exitCode()).isEqualTo(3); // '@.../nope' is then a model name
        Path self = dir.resolve("self");
        Files.writeString(self, "@" + self);
        assertOneLineUsageError(CliRunner.run("fit", "@" + self), "includes itself");
    }

    @Test
    void aDirectoryIsOneLineExitTwoNotAStackTrace() {
        // Was: a 16-line picocli stack trace and exit 1 (the "check failed" code).
        assertOneLineUsageError(CliRunner.run("fit", "@" + dir), "argument file @" + dir + " is a directory");
    }

    @Test
    void devicesAndFifosAreNeverRead() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        // Was: 'fit @/dev/zero' read forever.
        CliRunner.Result zero = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliRunner.run("fit", "@/dev/zero"));
        assertOneLineUsageError(zero, "is not a regular file");
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is not available");
        CliRunner.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> CliRunner.run("fit", "@" + fifo));
        assertOneLineUsageError(r, "is not a regular file");
    }

    @Test
    void aFileOverOneMebibyteIsRefused() throws Exception {
        Path big = Files.writeString(dir.resolve("big"), "7B ".repeat(400_000));
        assertOneLineUsageError(CliRunner.run("fit", "@" + big), "larger than 1024 KiB");
    }

    @Test
    void nothingAfterTheEndOfOptionsIsExpanded() throws Exception {
        Path args = Files.writeString(dir.resolve("args"), "70B");
        CliRunner.Result r = CliRunner.run("fit", "--", "@" + args);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("@" + args);
    }

    static void assertOneLineUsageError(CliRunner.Result r, String fragment) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("llmplan: ").contains(fragment).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }
}
