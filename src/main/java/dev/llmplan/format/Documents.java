package dev.llmplan.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.UncheckedIOException;
import java.util.Map;

/** JSON and YAML come from the same document tree (maps, lists, numbers, strings). */
public final class Documents {
    /** Version of every JSON/YAML document's shape; bump only on an incompatible change. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // A string such as "1" stays quoted, so YAML reads back the same types as JSON.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private Documents() {
    }

    public static String json(Map<String, ?> document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String yaml(Map<String, ?> document) {
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders a document as JSON or YAML; other formats are table-shaped and rendered elsewhere. */
    public static String render(Map<String, ?> document, OutputFormat format) {
        return switch (format) {
            case JSON -> json(document) + "\n";
            case YAML -> yaml(document);
            default -> throw new IllegalArgumentException("not a document format: " + format);
        };
    }
}
