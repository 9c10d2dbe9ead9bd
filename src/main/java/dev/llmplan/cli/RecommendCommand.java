package dev.llmplan.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code llmplan recommend}: being built (placeholder registered so parallel work does not edit RootCommand). */
@Command(name = "recommend", mixinStandardHelpOptions = true, hidden = true, description = "Not available yet.")
final class RecommendCommand implements Callable<Integer> {
    private final Context context;

    RecommendCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        throw dev.llmplan.engine.LlmplanException.usage("'recommend' is not available in this build yet");
    }
}
