package dev.llmplan.shell;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Issue 16 #9, #15, #6: a damaged history, an endless line or a FIFO as history never stop the shell. */
class ShellHardeningTest {
    @TempDir
    Path dir;

    @Test
    void aNonUtf8ByteInTheHistoryDropsThatLineAndTheShellRuns() throws Exception {
        Path history = dir.resolve("state/llmplan/history");
        Files.createDirectories(history.getParent());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("1700000000000:fit 70B\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] {'1', '7', ':', 'f', 'i', 't', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        b.writeBytes("no time stamp\n1700000000001:gpus\n".getBytes(StandardCharsets.UTF_8));
        Files.write(history, b.toByteArray());
        // Was: JLine's MalformedInputException ended the shell with exit 4 before the prompt.
        ShellHarness.Session s = ShellHarness.run("settings\nexit\n", Map.of(), history);
        assertThat(s.exitCode()).isZero();
        assertThat(s.output()).contains("llmplan shell");
        assertThat(Files.readString(history, StandardCharsets.UTF_8)).contains(":fit 70B").contains(":gpus")
                .contains("settings").doesNotContain("no time stamp").doesNotContain("fit \uFFFD");
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedQuicklyAndTheShellGoesOn() throws Exception {
        String line = "fit " + "x".repeat(1_000_000);
        // Was: about 15 s of JLine key handling and a megabyte echoed back in the error.
        Path history = dir.resolve("state/llmplan/history");
        ShellHarness.Session s = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> ShellHarness.run(line + "\nformats\nexit\n", Map.of(), history));
        assertThat(s.output()).contains("llmplan shell: line longer than 65536 characters; not run")
                .contains("q4_k_m").doesNotContain("x".repeat(70_000));
        assertThat(Files.readString(history)).contains(":formats").doesNotContain("xxxxxxxxxx");
    }

    @Test
    void aFifoAsHistoryIsNotOpened() throws Exception {
        Path history = dir.resolve("state/llmplan/history");
        Files.createDirectories(history.getParent());
        Process p = new ProcessBuilder("mkfifo", history.toString()).start();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is not available");
        ShellHarness.Session s = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> ShellHarness.run("formats\nexit\n", Map.of(), history));
        assertThat(s.exitCode()).isZero();
        assertThat(s.output()).contains("history not saved").contains("not a regular file").contains("q4_k_m");
    }
}
