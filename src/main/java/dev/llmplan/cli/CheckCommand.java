package dev.llmplan.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code llmplan check}: being built (placeholder registered so parallel work does not edit RootCommand). */
@Command(name = "check", mixinStandardHelpOptions = true, hidden = true, description = "Not available yet.")
final class CheckCommand implements Callable<Integer> {
    private final Context context;

    CheckCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        throw dev.llmplan.engine.LlmplanException.usage("'check' is not available in this build yet");
    }
}
