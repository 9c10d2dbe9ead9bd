package dev.llmplan.shell;

import dev.llmplan.cli.Context;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code llmplan shell}: the interactive shell. JLine is only referenced from the shell package and only
 * reached from {@link #call()}, so building the command tree for one-shot commands never loads it.
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = "Interactive shell: every command with Tab completion, history (Ctrl-R) and session "
                + "defaults (set gpu 2x rtx-4060-ti-16gb). Also opened by 'llmplan' with no arguments on a terminal.")
public final class ShellCommand implements Callable<Integer> {
    private final Context context;

    public ShellCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return open(context);
    }

    static int open(Context context) {
        return Shell.open(context);
    }
}
