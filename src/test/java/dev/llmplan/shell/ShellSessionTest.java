package dev.llmplan.shell;

import dev.llmplan.cli.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole sessions typed into the shell through a JLine terminal on in-memory streams. */
class ShellSessionTest {
    @TempDir
    Path dir;

    @Test
    void defaultsApplyAnErrorIsOneLineAndTheShellGoesOn() throws Exception {
        ShellHarness.Session s = ShellHarness.run("""
                set gpu 2x rtx-4060-ti-16gb
                set quant 4bit
                fit llama-2-13b --no-ladder
                fit no-such-model
                settings
                exit
                """, Map.of(), null);
        assertThat(s.exitCode()).isZero();
        String out = s.output();
        // The defaults reached the command: 4-bit weights on two 16 GB cards.
        assertThat(out).contains("inference · int4 · transformers")
                .contains("of 32.00 GiB on 2x rtx-4060-ti-16gb")
                .contains("On 2x rtx-4060-ti-16gb");
        // The bad line printed the CLI's one-line error, then the shell kept reading.
        int error = out.indexOf("llmplan fit: unknown model 'no-such-model'");
        assertThat(error).isPositive();
        assertThat(out.substring(error)).contains("gpu    2x rtx-4060-ti-16gb  (--gpu for fit");
        assertThat(out).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out).doesNotContain("\u001b["); // dumb terminal: plain text
    }

    @Test
    void outputIsTheOneShotCommandsOutput() throws Exception {
        String[] args = {"fit", "llama-2-7b", "--quant", "8bit", "--gpu", "rtx-4090"};
        CliRunner.Result oneShot = CliRunner.run(args);
        ShellHarness.Session s = ShellHarness.run(String.join(" ", args) + "\nexit\n", Map.of(), null);
        assertThat(oneShot.exitCode()).isZero();
        assertThat(s.output()).contains(oneShot.out());
    }

    @Test
    void explicitOptionsBeatDefaultsAndUnsetRemovesThem() throws Exception {
        ShellHarness.Session s = ShellHarness.run("""
                set quant 4bit
                fit llama-2-7b --mode load --quant 8bit --no-ladder
                unset quant
                fit llama-2-7b --mode load --no-ladder
                exit
                """, Map.of(), null);
        String out = s.output();
        int explicit = out.indexOf("load · int8");
        int afterUnset = out.indexOf("load · fp16");
        assertThat(explicit).isPositive();
        assertThat(afterUnset).isGreaterThan(explicit);
        assertThat(out).doesNotContain("load · int4");
    }

    @Test
    void defaultsAreNotGivenToCommandsWithoutTheOption() throws Exception {
        // 'gpus' has no --quant: injecting it would make picocli reject the line.
        ShellHarness.Session s = ShellHarness.run("set quant 4bit\ngpus --vendor nvidia\nexit\n", Map.of(), null);
        assertThat(s.output()).contains("rtx-4090").doesNotContain("Unknown option");
    }

    @Test
    void aBadSettingIsRejectedWithOneLine() throws Exception {
        ShellHarness.Session s = ShellHarness.run("set quant 3.7bits\nset gpu rtx-9999\nsettings\nexit\n", Map.of(), null);
        assertThat(s.output()).contains("llmplan set: ")
                .contains("llmplan set: unknown GPU 'rtx-9999'")
                .contains("No session defaults.");
    }

    @Test
    void ctrlCCancelsOnlyTheLineBeingTyped() throws Exception {
        // ^C (ETX) while typing: the half line is dropped, the next line runs.
        ShellHarness.Session s = ShellHarness.run("fit no-such\u0003settings\nexit\n", Map.of(), null);
        assertThat(s.output()).doesNotContain("unknown model").contains("No session defaults.");
    }

    @Test
    void ctrlDLeavesWithExitCodeZero() throws Exception {
        ShellHarness.Session s = ShellHarness.run("settings\n\u0004", Map.of(), null);
        assertThat(s.exitCode()).isZero();
        assertThat(s.output()).contains("No session defaults.");
    }

    @Test
    void helpListsCommandsAndShellCommandsAndHelpCommandShowsOptions() throws Exception {
        ShellHarness.Session s = ShellHarness.run("help\nhelp fit\nhelp set\nquit\n", Map.of(), null);
        assertThat(s.output()).contains("  fit ").contains("set KEY VALUE").contains("Ctrl-R")
                .contains("Usage: llmplan fit").contains("--quant=QUANT")
                .contains("Examples: set gpu 2x rtx-4060-ti-16gb");
    }

    @Test
    void historyIsSavedUserOnly() throws Exception {
        Path history = HistoryFile.path(Map.of("XDG_STATE_HOME", dir.resolve("state").toString()));
        assertThat(history).isEqualTo(dir.resolve("state/llmplan/history"));
        ShellHarness.run("settings\nexit\n", Map.of(), history);
        assertThat(Files.readString(history)).contains("settings");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void historyDefaultsToTheLocalStateFolder() {
        assertThat(HistoryFile.path(Map.of())).isEqualTo(Path.of(System.getProperty("user.home"), ".local/state/llmplan/history"));
    }

    @Test
    void colourOnAColourTerminalAndPlainWithNoColor() throws Exception {
        String line = "fit llama-2-7b --gpu rtx-4090 --no-ladder\nexit\n";
        ShellHarness.Session colour = ShellHarness.run(line, Map.of("TERM", "xterm-256color"), null, "xterm-256color");
        assertThat(colour.output()).contains("\u001b[36m█").contains("\u001b[1m\u001b[32mfits\u001b[0m");
        ShellHarness.Session plain = ShellHarness.run(line, Map.of("TERM", "xterm-256color", "NO_COLOR", "1"), null, "xterm-256color");
        assertThat(plain.output()).contains("█").doesNotContain("\u001b[36m").doesNotContain("\u001b[32m");
    }
}
