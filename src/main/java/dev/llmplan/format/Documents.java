package dev.llmplan.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.UncheckedIOException;

/** JSON and YAML come from the same typed document records, serialised by Jackson. */
public final class Documents {
    /** Version of every JSON/YAML document's shape; bump only on an incompatible change. */
    public static final int SCHEMA_VERSION = 1;

    /** Built on first use, so a table-only run never sets up Jackson's serialisers. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                // A string such as "1" stays quoted, so YAML reads back the same types as JSON.
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build());
    }

    private Documents() {
    }

    public static String json(Object document) {
        try {
            return Json.MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document as Jackson's tree, for renderers that walk its fields. */
    public static com.fasterxml.jackson.databind.JsonNode tree(Object document) {
        return Json.MAPPER.valueToTree(document);
    }

    public static String yaml(Object document) {
        try {
            return Yaml.MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
