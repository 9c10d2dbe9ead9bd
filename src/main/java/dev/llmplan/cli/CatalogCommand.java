package dev.llmplan.cli;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.format.CatalogEntryReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code llmplan catalog validate|show|path}: check a catalog file, show an entry. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Validate a catalog file, or show a catalog entry with its source.",
        subcommands = {CatalogCommand.Validate.class, CatalogCommand.Show.class, CatalogCommand.Files.class})
final class CatalogCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: validate, show or files");
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check FILE against the catalog schema (with the built-in catalog): exit 0 when valid, "
                    + "3 with one line per problem otherwise.")
    static final class Validate implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "FILE", description = "A catalog YAML file.")
        Path file;

        Validate(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Catalog c = CatalogLoader.validateFile(file);
            context.out().println(file + ": valid (" + c.models().size() + " models, " + c.gpus().size() + " GPUs, "
                    + c.systems().size() + " systems with the built-in catalog)");
            context.out().flush();
            return Cli.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print one model, GPU or system entry.")
    static final class Show implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "ID", description = "A model, GPU or system id or alias.")
        String id;

        @Mixin
        OutputOptions output;

        Show(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            output.validate();
            Catalog c = context.catalogs().get();
            Optional<ModelSpec> m = c.findModel(id);
            Optional<GpuSpec> g = c.findGpu(id);
            Optional<SystemSpec> s = c.findSystem(id);
            CatalogEntryReport report;
            if (m.isPresent()) {
                report = CatalogEntryReport.of(m.get(), c.fileOf("model", m.get().id()));
            } else if (g.isPresent()) {
                report = CatalogEntryReport.of(g.get(), c.fileOf("gpu", g.get().id()));
            } else if (s.isPresent()) {
                report = CatalogEntryReport.of(s.get(), c.fileOf("system", s.get().id()));
            } else {
                var ids = new java.util.ArrayList<>(c.modelIds());
                ids.addAll(c.hardwareIds());
                throw Catalog.unknown("entry", id, ids);
            }
            output.print(context, report);
            return Cli.OK;
        }
    }

    @Command(name = "files", mixinStandardHelpOptions = true, description = "List the catalog files in use, in order.")
    static final class Files implements Callable<Integer> {
        private final Context context;

        Files(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.catalogs().get().files().forEach(context.out()::println);
            context.out().flush();
            return Cli.OK;
        }
    }
}
