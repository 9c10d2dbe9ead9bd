package dev.llmplan.catalog;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ParamCount;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed access to one YAML mapping that records every problem instead of stopping at the first,
 * and remembers which keys were read so unknown ones can be reported.
 */
final class Fields {
    private final String file;
    private final String entry;
    private final String prefix;
    private final YamlNode.Mapping map;
    private final List<Problem> problems;
    private final Set<String> read = new LinkedHashSet<>();

    Fields(String file, String entry, String prefix, YamlNode.Mapping map, List<Problem> problems) {
        this.file = file;
        this.entry = entry;
        this.prefix = prefix;
        this.map = map;
        this.problems = problems;
    }

    int line() {
        return map.line();
    }

    void problem(String key, String message) {
        YamlNode.Entry e = map.map().get(key);
        problems.add(new Problem(file, e == null ? map.line() : e.keyLine(), entry, prefix + key, message));
    }

    private YamlNode.Scalar scalar(String key, boolean required) {
        read.add(key);
        YamlNode.Entry e = map.map().get(key);
        if (e == null || (e.value() instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL)) {
            if (required) {
                problems.add(new Problem(file, e == null ? map.line() : e.keyLine(), entry, prefix + key, "is required"));
            }
            return null;
        }
        if (e.value() instanceof YamlNode.Scalar s) {
            return s;
        }
        problem(key, "expected a single value, got " + YamlNode.typeName(e.value()));
        return null;
    }

    String string(String key, boolean required) {
        YamlNode.Scalar s = scalar(key, required);
        if (s == null) {
            return null;
        }
        if (s.kind() != YamlNode.Scalar.Kind.STRING && s.kind() != YamlNode.Scalar.Kind.INTEGER
                && s.kind() != YamlNode.Scalar.Kind.FLOAT) {
            problem(key, "expected a string, got " + YamlNode.typeName(s));
            return null;
        }
        if (s.text().isBlank()) {
            problem(key, "must not be empty");
            return null;
        }
        return s.text();
    }

    Integer integer(String key, boolean required, int min) {
        YamlNode.Scalar s = scalar(key, required);
        if (s == null) {
            return null;
        }
        if (s.kind() != YamlNode.Scalar.Kind.INTEGER) {
            problem(key, "expected an integer, got " + describe(s));
            return null;
        }
        try {
            int v = Integer.parseInt(s.text());
            if (v < min) {
                problem(key, "must be at least " + min + ", got " + v);
                return null;
            }
            return v;
        } catch (NumberFormatException e) {
            problem(key, "integer out of range: " + s.text());
            return null;
        }
    }

    Double number(String key, boolean required, double minExclusive) {
        YamlNode.Scalar s = scalar(key, required);
        if (s == null) {
            return null;
        }
        if (s.kind() != YamlNode.Scalar.Kind.INTEGER && s.kind() != YamlNode.Scalar.Kind.FLOAT) {
            problem(key, "expected a number, got " + describe(s));
            return null;
        }
        double v = Double.parseDouble(s.text());
        if (!Double.isFinite(v) || v <= minExclusive) {
            problem(key, "must be greater than " + fmt(minExclusive) + ", got " + s.text());
            return null;
        }
        return v;
    }

    Boolean bool(String key) {
        YamlNode.Scalar s = scalar(key, false);
        if (s == null) {
            return null;
        }
        if (s.kind() != YamlNode.Scalar.Kind.BOOLEAN) {
            problem(key, "expected true or false, got " + describe(s));
            return null;
        }
        return Boolean.parseBoolean(s.text());
    }

    /** A parameter count: an exact integer or a size string such as "175B". */
    Long paramCount(String key, boolean required) {
        YamlNode.Scalar s = scalar(key, required);
        if (s == null) {
            return null;
        }
        try {
            if (s.kind() == YamlNode.Scalar.Kind.INTEGER) {
                return new ParamCount(Long.parseLong(s.text())).value();
            }
            if (s.kind() == YamlNode.Scalar.Kind.STRING) {
                return ParamCount.parse(s.text()).value();
            }
            problem(key, "expected a parameter count such as 6738415616 or \"7B\", got " + describe(s));
        } catch (LlmplanException | NumberFormatException e) {
            problem(key, e.getMessage());
        }
        return null;
    }

    List<String> strings(String key) {
        read.add(key);
        YamlNode.Entry e = map.map().get(key);
        if (e == null) {
            return List.of();
        }
        if (!(e.value() instanceof YamlNode.Sequence seq)) {
            problem(key, "expected a list of strings, got " + YamlNode.typeName(e.value()));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : seq.items()) {
            if (item instanceof YamlNode.Scalar s && s.kind() != YamlNode.Scalar.Kind.NULL && s.text() != null
                    && !s.text().isBlank() && s.kind() != YamlNode.Scalar.Kind.BOOLEAN) {
                out.add(s.text());
            } else {
                problems.add(new Problem(file, item.line(), entry, prefix + key, "expected a string, got "
                        + YamlNode.typeName(item)));
            }
        }
        return out;
    }

    /** A nested mapping, or null (with a problem when it has the wrong type). */
    YamlNode.Mapping mapping(String key) {
        read.add(key);
        YamlNode.Entry e = map.map().get(key);
        if (e == null) {
            return null;
        }
        if (e.value() instanceof YamlNode.Mapping m) {
            return m;
        }
        problem(key, "expected a mapping, got " + YamlNode.typeName(e.value()));
        return null;
    }

    /** Reports every key that was never read: a misspelt or unsupported field. */
    void reportUnknown() {
        for (var e : map.map().entrySet()) {
            if (!read.contains(e.getKey())) {
                problems.add(new Problem(file, e.getValue().keyLine(), entry, prefix + e.getKey(),
                        "unknown key" + suggestion(e.getKey())));
            }
        }
    }

    private String suggestion(String key) {
        String best = Names.closest(key, read, 3);
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static String describe(YamlNode.Scalar s) {
        return s.kind() == YamlNode.Scalar.Kind.STRING ? "\"" + s.text() + "\"" : YamlNode.typeName(s) + " " + s.text();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
