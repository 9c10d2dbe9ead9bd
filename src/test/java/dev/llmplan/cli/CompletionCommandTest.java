package dev.llmplan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CompletionCommandTest {
    @TempDir
    Path dir;

    @Test
    void bashScriptCompletesCommandsAndOptions() {
        CliRun r = CliRun.of(dir, "completion", "bash");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F _complete_llmplan", "fit", "recommend", "check", "--junit", "--quant");
        // Option values and catalog ids are offered too: a GGUF type, a model id, a GPU and a system id.
        assertThat(r.out()).contains("q4_k_m", "llama-2-70b", "rtx-4060-ti-16gb", "dgx-a100-640gb");
    }

    @Test
    void zshScriptLoadsTheSameScriptThroughBashcompinit() {
        String bash = CliRun.of(dir, "completion", "bash").out();
        CliRun zsh = CliRun.of(dir, "completion", "zsh");
        assertThat(zsh.exit()).isZero();
        assertThat(zsh.out()).startsWith("#compdef llmplan\n").contains("bashcompinit").endsWith(bash);
    }

    @Test
    void otherShellsAreUsageErrors() {
        CliRun r = CliRun.of(dir, "completion", "fish");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("llmplan completion: unsupported shell 'fish': expected bash or zsh");
    }

    /** The script must be valid bash: `bash -n` parses it without running it. */
    @Test
    void bashAcceptsTheScript() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash not installed");
        Path script = Files.writeString(dir.resolve("llmplan.bash"), CliRun.of(dir, "completion", "bash").out());
        Process p = new ProcessBuilder("/bin/bash", "-n", script.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes())).isEmpty();
        assertThat(p.exitValue()).isZero();
    }

    /**
     * Every option with fixed values offers exactly those values in a real bash: the script is sourced and
     * its completion function called with COMP_WORDS as bash would set them after "OPTION <Tab>".
     */
    @Test
    void inARealBashEveryOptionWithFixedValuesOffersItsOwnValues() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash not installed");
        Path script = Files.writeString(dir.resolve("llmplan.bash"), CliRun.of(dir, "completion", "bash").out());
        java.util.Map<String, java.util.List<String>> expected = new java.util.LinkedHashMap<>();
        for (dev.llmplan.request.UserOption o : dev.llmplan.request.Options.usedBy(dev.llmplan.request.UserOption.Use.FIT)) {
            if (o.values() != null) {
                expected.put(o.flag(), o.fixedValues());
            }
        }
        expected.put("--format", dev.llmplan.format.OutputFormat.ids());
        expected.put("--units", java.util.List.of("gib", "gb"));
        StringBuilder sh = new StringBuilder("source '" + script + "'\n");
        for (String flag : expected.keySet()) {
            sh.append("COMP_WORDS=(llmplan fit llama-2-7b ").append(flag).append(" '')\n")
                    .append("COMP_CWORD=4\nCOMP_LINE=\"llmplan fit llama-2-7b ").append(flag).append(" \"\n")
                    .append("COMP_POINT=${#COMP_LINE}\nCOMPREPLY=()\n_complete_llmplan llmplan '' ").append(flag).append('\n')
                    .append("echo \"").append(flag).append("=${COMPREPLY[*]}\"\n");
        }
        Process p = new ProcessBuilder("/bin/bash", "-c", sh.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (var e : expected.entrySet()) {
            String line = out.lines().filter(l -> l.startsWith(e.getKey() + "=")).findFirst().orElse("");
            assertThat(java.util.Arrays.asList(line.substring(line.indexOf('=') + 1).split(" ")))
                    .as("completion of %s (script output: %s)", e.getKey(), out)
                    .containsExactlyInAnyOrderElementsOf(e.getValue());
        }
    }
}
