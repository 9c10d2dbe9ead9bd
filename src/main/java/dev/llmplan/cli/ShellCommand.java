package dev.llmplan.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code llmplan shell}: being built (placeholder registered so parallel work does not edit RootCommand). */
@Command(name = "shell", mixinStandardHelpOptions = true, hidden = true, description = "Not available yet.")
final class ShellCommand implements Callable<Integer> {
    private final Context context;

    ShellCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        throw dev.llmplan.engine.LlmplanException.usage("'shell' is not available in this build yet");
    }
}
