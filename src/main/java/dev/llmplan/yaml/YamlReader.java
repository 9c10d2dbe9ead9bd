package dev.llmplan.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads YAML into {@link YamlNode}s with line numbers, using Jackson's streaming YAML parser with
 * explicit limits (aliases, nesting, document size) so hostile files fail fast. Duplicate keys
 * are errors, not silently last-wins.
 */
public final class YamlReader {
    /** Limits for files people write by hand; the built-in catalog is far below them. */
    public static final int MAX_DOCUMENT_CHARS = 16 * 1024 * 1024;
    public static final int MAX_ALIASES = 50;
    public static final int MAX_DEPTH = 40;
    public static final int MAX_SCALAR_CHARS = 64 * 1024;
    /** A value plus its key, indentation and quotes fits on a line this long. */
    public static final int MAX_LINE_CHARS = MAX_SCALAR_CHARS + 1024;

    private static final YAMLFactory FACTORY = createFactory();

    private YamlReader() {
    }

    private static YAMLFactory createFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_DOCUMENT_CHARS);
        options.setAllowDuplicateKeys(false);
        YAMLFactory f = YAMLFactory.builder().loaderOptions(options).build();
        f.setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_SCALAR_CHARS).maxNumberLength(64).build());
        return f;
    }

    /** Parses {@code text}; a syntax problem becomes a {@link DataFileException} naming file and line. */
    public static YamlNode read(String text, String file) {
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw single(file, 0, "the file is larger than " + (MAX_DOCUMENT_CHARS / (1024 * 1024)) + " MiB");
        }
        if (text.isBlank()) {
            throw single(file, 1, "the file is empty");
        }
        checkLineLengths(text, file);
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw single(file, 1, "the file is empty");
            }
            YamlNode root = readValue(p, file, 0);
            if (p.nextToken() != null) {
                throw single(file, line(p), "more than one YAML document; expected one");
            }
            return root;
        } catch (DataFileException e) {
            throw e;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw single(file, line, "invalid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            throw single(file, 0, "invalid YAML: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static YamlNode readValue(JsonParser p, String file, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw single(file, line(p), "nesting deeper than " + MAX_DEPTH + " levels");
        }
        JsonToken t = p.currentToken();
        int line = line(p);
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, YamlNode.Entry> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = checkLength(p.currentName(), file, line(p));
                    int keyLine = line(p);
                    if (map.containsKey(key)) {
                        throw single(file, keyLine, "duplicate key '" + key + "'");
                    }
                    p.nextToken();
                    map.put(key, new YamlNode.Entry(keyLine, readValue(p, file, depth + 1)));
                }
                return new YamlNode.Mapping(line, map);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(p, file, depth + 1));
                }
                return new YamlNode.Sequence(line, items);
            }
            case VALUE_STRING -> {
                return new YamlNode.Scalar(line, checkLength(p.getText(), file, line), YamlNode.Scalar.Kind.STRING);
            }
            case VALUE_NUMBER_INT -> {
                return new YamlNode.Scalar(line, checkLength(p.getText(), file, line), YamlNode.Scalar.Kind.INTEGER);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YamlNode.Scalar(line, checkLength(p.getText(), file, line), YamlNode.Scalar.Kind.FLOAT);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode.Scalar(line, p.getText(), YamlNode.Scalar.Kind.BOOLEAN);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(line, null, YamlNode.Scalar.Kind.NULL);
            }
            default -> throw single(file, line, "unsupported YAML value (" + t + ")");
        }
    }

    /**
     * SnakeYAML looks ahead over a run of characters without a space or line break by refilling and copying
     * its buffer, so one long run costs time quadratic in its length (4 MB: about 10 s). A line can hold no
     * value longer than itself, so lines longer than a value may be are refused before scanning starts.
     */
    private static void checkLineLengths(String text, String file) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i - start > MAX_LINE_CHARS) {
                    throw single(file, line, "line longer than " + MAX_LINE_CHARS + " characters (the longest value"
                            + " allowed is " + MAX_SCALAR_CHARS + ")");
                }
                line++;
                start = i + 1;
            }
        }
    }

    /** A key or value longer than {@link #MAX_SCALAR_CHARS} (a block scalar can span many short lines). */
    private static String checkLength(String text, String file, int line) {
        if (text != null && text.length() > MAX_SCALAR_CHARS) {
            throw single(file, line, "a value longer than " + MAX_SCALAR_CHARS + " characters");
        }
        return text;
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation() == null ? 0 : p.currentTokenLocation().getLineNr();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    static DataFileException single(String file, int line, String message) {
        return new DataFileException(List.of(new Problem(file, line, null, null, message)));
    }
}
