package dev.llmplan.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command, and every option that takes a value, fed a malformed value or an unknown option:
 * the result is a documented exit code, never 4, and never a stack trace on stderr.
 */
class CommandSweepTest {
    /** Valid positional arguments, so that the malformed option is what the command meets. */
    private static final Map<String, List<String>> POSITIONALS = Map.of(
            "fit", List.of("7B"), "recommend", List.of("7B"), "check", List.of("examples/home-rig-4bit.yaml"),
            "inspect", List.of("catalog.yaml"), "completion", List.of("bash"), "validate", List.of("catalog.yaml"),
            "show", List.of("llama-2-7b"));
    /** Options that write files or open a terminal are exercised by their own tests. */
    private static final List<String> SKIPPED = List.of("--junit", "--help", "--version");

    record Case(List<String> args) {
    }

    @Test
    void malformedOptionsGiveCleanErrorsEverywhere() {
        CommandLine root = Cli.create(new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new ByteArrayInputStream(new byte[0]), Map.of()));
        List<Case> cases = new ArrayList<>();
        collect(root, new ArrayList<>(), cases);
        assertThat(cases).hasSizeGreaterThan(60);
        List<String> bad = new ArrayList<>();
        for (Case c : cases) {
            CliRunner.Result r = CliRunner.run(c.args().toArray(String[]::new));
            String what = String.join(" ", c.args()) + " -> exit " + r.exitCode() + ": " + r.err().strip();
            boolean trace = r.err().contains("\tat ") || r.err().contains("Exception");
            boolean usageIsOneLine = r.exitCode() != 2 || r.err().strip().lines().count() == 1;
            if (r.exitCode() == 4 || trace || !usageIsOneLine) {
                bad.add(what);
            }
        }
        assertThat(bad).isEmpty();
    }

    private static void collect(CommandLine cmd, List<String> path, List<Case> cases) {
        String name = cmd.getCommandName();
        if (name.equals("help") || name.equals("shell")) {
            return;
        }
        List<String> here = new ArrayList<>(path);
        if (cmd.getParent() != null) {
            here.add(name);
        }
        if (!cmd.getSubcommands().isEmpty() && cmd.getParent() != null) {
            List<String> unknown = new ArrayList<>(here);
            unknown.add("--no-such-option");
            cases.add(new Case(unknown));
        }
        for (CommandLine sub : cmd.getSubcommands().values()) {
            collect(sub, here, cases);
        }
        if (cmd.getParent() == null || !cmd.getSubcommands().isEmpty()) {
            return;
        }
        List<String> positionals = POSITIONALS.getOrDefault(name, List.of());
        List<String> unknown = new ArrayList<>(here);
        unknown.addAll(positionals);
        unknown.add("--no-such-option");
        cases.add(new Case(unknown));
        for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
            if (o.arity().max() == 0 || SKIPPED.contains(o.longestName())) {
                continue;
            }
            for (String value : List.of("@@bad@@", "-1", "")) {
                List<String> args = new ArrayList<>(here);
                args.addAll(positionals);
                args.add(o.longestName());
                args.add(value);
                cases.add(new Case(args));
            }
        }
    }
}
