package dev.llmplan.cli;

import dev.llmplan.engine.WeightFormat;
import dev.llmplan.format.FormatsReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code llmplan formats}: the weight formats with their real bits and sources. */
@Command(name = "formats", mixinStandardHelpOptions = true, description = "List weight formats (--quant values).")
final class FormatsCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    OutputOptions output;

    FormatsCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        output.print(context, new FormatsReport(WeightFormat.all()));
        return Cli.OK;
    }
}
