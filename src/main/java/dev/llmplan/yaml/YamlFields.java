package dev.llmplan.yaml;


import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoublePredicate;

/**
 * Typed access to one YAML mapping that records every problem (with the key's line) instead of stopping
 * at the first, and remembers which keys were read so the rest can be reported as unknown. Shared by the
 * catalog parser ({@link Fields}) and the plan-file parser; each subclass keeps its own wording.
 */
public abstract class YamlFields {
    private final String file;
    private final String entry;
    private final String prefix;
    private final YamlNode.Mapping map;
    private final List<Problem> problems;
    private final Set<String> read = new LinkedHashSet<>();

    protected YamlFields(String file, String entry, String prefix, YamlNode.Mapping map, List<Problem> problems) {
        this.file = file;
        this.entry = entry;
        this.prefix = prefix;
        this.map = map;
        this.problems = problems;
    }

    /** The line of {@code key}, or of the mapping when the key is absent. */
    public int keyLine(String key) {
        YamlNode.Entry e = map.map().get(key);
        return e == null ? map.line() : e.keyLine();
    }

    public void problem(String key, String message) {
        problemAt(keyLine(key), key, message);
    }

    /** A problem about {@code key} found at another line, such as one item of its list. */
    protected void problemAt(int line, String key, String message) {
        problems.add(new Problem(file, line, entry, prefix + key, message));
    }

    /** Whether the mapping has {@code key} (read or not). */
    protected boolean has(String key) {
        return map.map().containsKey(key);
    }

    /** Marks {@code key} as read and returns its entry, or null when absent. */
    protected YamlNode.Entry take(String key) {
        read.add(key);
        return map.map().get(key);
    }

    protected static boolean isNull(YamlNode.Entry e) {
        return e.value() instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL;
    }

    /** The scalar under {@code key}, or null when absent or null (a problem when required or not a scalar). */
    protected YamlNode.Scalar scalar(String key, boolean required) {
        YamlNode.Entry e = take(key);
        if (e == null || isNull(e)) {
            if (required) {
                problem(key, "is required");
            }
            return null;
        }
        if (e.value() instanceof YamlNode.Scalar s) {
            return s;
        }
        problem(key, "expected a single value, got " + YamlNode.typeName(e.value()));
        return null;
    }

    /**
     * A whole number in [{@code min}, {@code max}]; {@code expected} names the type ("an integer"). Every
     * YAML integer form is read ({@link YamlNumbers}); the message quotes the value as written.
     */
    protected Integer wholeNumber(String key, boolean required, int min, int max, String expected) {
        YamlNode.Scalar s = scalar(key, required);
        if (s == null) {
            return null;
        }
        boolean octal12 = s.kind() == YamlNode.Scalar.Kind.STRING && YamlNumbers.isOctal12(s.text());
        if (s.kind() != YamlNode.Scalar.Kind.INTEGER && !octal12) {
            problem(key, "expected " + expected + ", got " + describe(s));
            return null;
        }
        BigInteger v;
        try {
            v = YamlNumbers.integer(s.text());
        } catch (YamlNumbers.NotANumber e) {
            problem(key, e.getMessage());
            return null;
        }
        boolean low = v.compareTo(BigInteger.valueOf(min)) < 0;
        if (low || v.compareTo(BigInteger.valueOf(max)) > 0) {
            problem(key, (low && max == Integer.MAX_VALUE ? "must be at least " + min
                    : "must be between " + min + " and " + max) + ", got " + s.text());
            return null;
        }
        return v.intValue();
    }

    /**
     * A finite number accepted by {@code inRange}; otherwise the problem "{@code rangeMessage}, got TEXT".
     * {@code .inf} and {@code .nan} are refused: no field takes them (leave a limit out instead).
     */
    protected Double numberWhere(String key, boolean required, DoublePredicate inRange, String rangeMessage) {
        YamlNode.Scalar s = scalar(key, required);
        if (s == null) {
            return null;
        }
        boolean octal12 = s.kind() == YamlNode.Scalar.Kind.STRING && YamlNumbers.isOctal12(s.text());
        if (s.kind() != YamlNode.Scalar.Kind.INTEGER && s.kind() != YamlNode.Scalar.Kind.FLOAT && !octal12) {
            problem(key, "expected a number, got " + describe(s));
            return null;
        }
        double v;
        try {
            v = YamlNumbers.decimal(s.text());
        } catch (YamlNumbers.NotANumber e) {
            problem(key, e.getMessage());
            return null;
        }
        if (!inRange.test(v)) {
            problem(key, rangeMessage + ", got " + s.text());
            return null;
        }
        return v;
    }

    /** A nested mapping, or null when absent (a problem when it has the wrong type). */
    protected YamlNode.Mapping asMapping(YamlNode.Entry e, String key) {
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
    public void reportUnknown() {
        for (var e : map.map().entrySet()) {
            if (!read.contains(e.getKey())) {
                problemAt(e.getValue().keyLine(), e.getKey(), "unknown key" + suggestion(e.getKey(), read));
            }
        }
    }

    /** What follows "unknown key" for {@code key}, given the keys that were read. */
    protected abstract String suggestion(String key, Set<String> known);

    /** A scalar as messages show it: strings quoted, other kinds with their type. */
    protected static String describe(YamlNode.Scalar s) {
        return s.kind() == YamlNode.Scalar.Kind.STRING ? "\"" + s.text() + "\"" : YamlNode.typeName(s) + " " + s.text();
    }

    /** A bound as messages show it: whole numbers without ".0". */
    protected static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
