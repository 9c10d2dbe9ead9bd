package dev.llmplan.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code llmplan completion}: being built (placeholder registered so parallel work does not edit RootCommand). */
@Command(name = "completion", mixinStandardHelpOptions = true, hidden = true, description = "Not available yet.")
final class CompletionCommand implements Callable<Integer> {
    private final Context context;

    CompletionCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        throw dev.llmplan.engine.LlmplanException.usage("'completion' is not available in this build yet");
    }
}
