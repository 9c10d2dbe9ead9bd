package dev.llmplan.catalog;

import dev.llmplan.yaml.YamlReader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (exec-maven-plugin, process-classes): writes the built-in catalog as JSON next to
 * the YAML in the jar. Same tree, same types; the loader reads it at start-up and falls back to
 * the YAML to report problems with their real line numbers.
 */
public final class CatalogCompiler {
    private CatalogCompiler() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CatalogCompiler catalog.yaml catalog.json");
        }
        String yaml = Files.readString(Path.of(args[0]));
        YamlReader.read(yaml, args[0]); // fail the build on YAML the loader would reject
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        Path out = Path.of(args[1]);
        Files.createDirectories(out.getParent());
        new ObjectMapper().writeValue(out.toFile(), tree);
    }
}
