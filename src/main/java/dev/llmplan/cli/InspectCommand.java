package dev.llmplan.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code llmplan inspect}: being built (placeholder registered so parallel work does not edit RootCommand). */
@Command(name = "inspect", mixinStandardHelpOptions = true, hidden = true, description = "Not available yet.")
final class InspectCommand implements Callable<Integer> {
    private final Context context;

    InspectCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        throw dev.llmplan.engine.LlmplanException.usage("'inspect' is not available in this build yet");
    }
}
