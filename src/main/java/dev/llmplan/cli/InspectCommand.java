package dev.llmplan.cli;

import dev.llmplan.format.InspectReport;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.modelfile.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code llmplan inspect PATH}: what a model's own files say, read from their headers only. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Read a model folder, config.json, .safetensors or .gguf file (headers only) and show its "
                + "architecture, tensors per stored type, exact parameters and bytes.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:usage error", "3:missing, unreadable or corrupt file"})
final class InspectCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "PATH", description = "A model folder, config.json, .safetensors or .gguf file.")
    String path;

    @Mixin
    OutputOptions output;

    InspectCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        output.validate();
        if (!ModelFiles.exists(path)) {
            throw LlmplanException.badData(path + ": no such file or folder");
        }
        output.print(context, new InspectReport(ModelFiles.read(Path.of(path))));
        return Cli.OK;
    }
}
