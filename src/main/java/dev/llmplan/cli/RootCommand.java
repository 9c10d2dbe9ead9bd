package dev.llmplan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code llmplan}: the root command with the options every subcommand inherits. */
@Command(name = "llmplan",
        mixinStandardHelpOptions = true,
        versionProvider = RootCommand.Version.class,
        description = "VRAM and hardware planner for large language models.",
        footerHeading = "%nExamples:%n",
        footer = {"  llmplan fit 70B --quant 8bit",
                "  llmplan fit llama-2-13b --mode inference --gpu rtx-4060-ti-16gb",
                "  llmplan fit mixtral-8x7b --quant q4_k_m --gpu \"2x rtx-4090\" --format json"})
public final class RootCommand implements Runnable {
    private final Context context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an error (for bug reports).")
    boolean stacktrace;

    @Option(names = "--catalog", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "A user catalog file that adds or replaces entries (repeatable; also LLMPLAN_CATALOG "
                    + "and ~/.config/llmplan/catalog.yaml).")
    void catalog(List<Path> files) {
        context.catalogs().addExplicit(files);
    }

    public RootCommand(Context context) {
        this.context = context;
    }

    /** No command on a pipe or in a script: the usage (Main opens the shell for a person at a terminal). */
    @Override
    public void run() {
        spec.commandLine().usage(context.out());
    }

    /** Whether --stacktrace was given anywhere on the line. */
    static boolean stacktraceRequested(CommandLine cmd) {
        CommandLine c = cmd;
        while (c.getParent() != null) {
            c = c.getParent();
        }
        Object root = c.getCommand();
        if (root instanceof RootCommand r && r.stacktrace) {
            return true;
        }
        CommandLine.Model.OptionSpec o = cmd.getCommandSpec().findOption("--stacktrace");
        return o != null && Boolean.TRUE.equals(o.getValue());
    }

    /** Reads the version from the jar manifest; no catalog parsing. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RootCommand.class.getPackage().getImplementationVersion();
            return new String[] {"llmplan " + (v == null ? "dev" : v)};
        }
    }
}
