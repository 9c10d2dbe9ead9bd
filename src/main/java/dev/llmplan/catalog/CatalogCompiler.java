package dev.llmplan.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (exec-maven-plugin, process-classes): parses and validates the built-in catalog and writes
 * it in compiled form ({@link CompiledCatalog}) next to the YAML in the jar. A catalog with a problem
 * fails the build; start-up then reads records without parsing or checking anything.
 */
public final class CatalogCompiler {
    private CatalogCompiler() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CatalogCompiler catalog.yaml catalog.bin");
        }
        byte[] compiled = CatalogLoader.compileBuiltin(Files.readString(Path.of(args[0])));
        Path out = Path.of(args[1]);
        Files.createDirectories(out.getParent());
        Files.write(out, compiled);
    }
}
