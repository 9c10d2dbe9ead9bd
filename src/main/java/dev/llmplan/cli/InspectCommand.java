package dev.llmplan.cli;

import dev.llmplan.format.InspectReport;

import dev.llmplan.request.ModelResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code llmplan inspect PATH}: what a model's own files say, read from their headers only. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Read a model folder, config.json, .safetensors or .gguf file, or a Hugging Face repository "
                + "(headers only, by range requests) and show its "
                + "architecture, tensors per stored type, exact parameters and bytes.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:usage error", "3:missing, unreadable or corrupt file"})
final class InspectCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "PATH", description = "A model folder, config.json, .safetensors or .gguf file, "
            + "or a Hugging Face repository: hf:ORG/NAME[@REVISION], hf:ORG/NAME/FILE.gguf or ORG/NAME.")
    String path;

    @Mixin
    OutputOptions output;

    InspectCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        output.validate();
        ModelResolver models = new ModelResolver(context.catalogs().get(), context.env());
        InspectReport report = new InspectReport(models.readFiles(path));
        models.notes().forEach(n -> context.err().println("llmplan inspect: note: " + n));
        context.err().flush();
        output.print(context, report);
        return Cli.OK;
    }
}
