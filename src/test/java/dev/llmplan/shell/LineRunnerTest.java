package dev.llmplan.shell;

import dev.llmplan.cli.Cli;
import dev.llmplan.cli.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Lines run one after another in one session: nothing a line gives may stay for the next. */
class LineRunnerTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Context session = new Context(new PrintWriter(out), new PrintWriter(err),
            new ByteArrayInputStream(new byte[0]), ShellHarness.env(Map.of()));
    private final CommandSpec root = Cli.create(session).getCommandSpec();
    private final SessionDefaults defaults = new SessionDefaults(root);
    private final LineRunner runner = new LineRunner(session, defaults,
            new ShellBuiltins(defaults, () -> session.catalogs().get(), root));

    private String run(String... words) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        runner.run(List.of(words));
        return out + err.toString();
    }

    @Test
    void optionValuesDoNotCarryOverBetweenLines() {
        String first = run("fit", "llama-2-7b", "--quant", "4bit", "--context", "2k", "--batch", "4", "--format", "json");
        assertThat(first).contains("\"quant\" : \"int4\"").contains("\"context\" : 2048").contains("\"batch\" : 4");
        String second = run("fit", "llama-2-7b", "--format", "json");
        assertThat(second).contains("\"quant\" : \"fp16\"").contains("\"context\" : 4096").contains("\"batch\" : 1");
        String third = run("fit", "llama-2-7b");
        assertThat(third).startsWith("Llama 2 7B (llama-2-7b)"); // the table again, not JSON
    }

    @Test
    void aLinesCatalogIsForThatLineOnly() throws Exception {
        Path mine = dir.resolve("mine.yaml");
        Files.writeString(mine, """
                schemaVersion: 1
                models:
                  - id: shell-test-model-7b
                    name: Shell Test Model 7B
                    family: Mine
                    developer: Me
                    weights: open
                    type: decoder
                    parameters: 6738415616
                    source: test
                    architecture: {layers: 32, hidden: 4096, heads: 32, kvHeads: 32, headDim: 128, ffn: 11008,
                                   ffnType: swiglu, vocab: 32000, maxContext: 4096, tiedEmbeddings: false}
                """);
        assertThat(run("fit", "shell-test-model-7b", "--mode", "load", "--catalog", mine.toString()))
                .contains("Shell Test Model 7B");
        assertThat(run("fit", "shell-test-model-7b", "--mode", "load")).contains("llmplan fit: unknown model");
    }

    @Test
    void theExitCodeIsTheOneShotCommands() {
        run("fit", "no-such-model");
        assertThat(runner.lastExitCode()).isEqualTo(Cli.BAD_DATA);
        run("fit", "7B", "--quant", "nope");
        assertThat(runner.lastExitCode()).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).startsWith("llmplan fit: ").doesNotContain("\n\t");
        run("fit", "7B");
        assertThat(runner.lastExitCode()).isEqualTo(Cli.OK);
        assertThat(runner.run(List.of("exit"))).isEqualTo(LineRunner.Next.EXIT);
        assertThat(runner.run(List.of("quit"))).isEqualTo(LineRunner.Next.EXIT);
    }

    @Test
    void defaultsApplyOnlyWhereTheLineDoesNotGiveTheOption() {
        defaults.set("quant", "4bit");
        defaults.set("format", "json");
        assertThat(run("fit", "llama-2-7b")).contains("\"quant\" : \"int4\"");
        assertThat(run("fit", "llama-2-7b", "-q", "8bit")).contains("\"quant\" : \"int8\"");
        assertThat(run("fit", "llama-2-7b", "--format", "csv")).startsWith("component,bytes,GiB");
        // Options the table does not hold are added to the line under their long names, only when missing.
        CommandSpec fit = root.subcommands().get("fit").getCommandSpec();
        assertThat(defaults.inject(List.of("fit", "7B"), fit)).containsExactly("fit", "7B", "--format", "json");
        assertThat(defaults.inject(List.of("fit", "7B", "--format=yaml"), fit)).containsExactly("fit", "7B", "--format=yaml");
        assertThat(defaults.tableValues()).containsExactly(Map.entry("quant", "4bit"));
    }

    @Test
    void aSessionContextAboveAModelsMaximumIsClampedWithANote() {
        defaults.set("context", "8k");
        String fourK = run("fit", "llama-2-7b", "--format", "json");
        assertThat(runner.lastExitCode()).isZero();
        assertThat(fourK).contains("\"context\" : 4096")
                .contains("llmplan fit: note: the session's context 8192 is above Llama 2 7B's maximum of 4096 tokens; using 4096");
        assertThat(run("fit", "llama-3.1-8b", "--format", "json")).contains("\"context\" : 8192").doesNotContain("note:");
        // Typed on the line, the user asked for it: planned as asked, with a warning (issue 14 #13).
        assertThat(run("fit", "llama-2-7b", "--context", "8k", "--format", "json")).contains("\"context\" : 8192")
                .contains("beyond Llama 2 7B's trained length of 4096 tokens");
        assertThat(runner.lastExitCode()).isZero();
    }

    @Test
    void theShellCommandInsideTheShellIsAnError() {
        assertThat(run("shell")).contains("llmplan shell: already in the shell");
    }
}
