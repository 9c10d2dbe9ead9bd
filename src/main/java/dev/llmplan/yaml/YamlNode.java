package dev.llmplan.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it starts on, so validation can say {@code file:line}. Scalars keep
 * their text and whether YAML typed them as a string, number, boolean or null.
 */
public sealed interface YamlNode {
    int line();

    record Scalar(int line, String text, Kind kind) implements YamlNode {
        public enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }
    }

    record Sequence(int line, List<YamlNode> items) implements YamlNode {
    }

    record Mapping(int line, LinkedHashMap<String, Entry> entries) implements YamlNode {
        public Map<String, Entry> map() {
            return entries;
        }
    }

    /** A mapping entry keeps the key's own line (the value may start on the next one). */
    record Entry(int keyLine, YamlNode value) {
    }

    static String typeName(YamlNode n) {
        if (n instanceof Mapping) {
            return "a mapping";
        }
        if (n instanceof Sequence) {
            return "a list";
        }
        Scalar s = (Scalar) n;
        return switch (s.kind()) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case FLOAT -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
        };
    }
}
