package dev.llmplan.planfile;

import dev.llmplan.catalog.Problem;
import dev.llmplan.catalog.YamlNode;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Tokens;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed access to one mapping of a plan file that records every problem (with the key's line) instead
 * of stopping at the first, and reports keys nobody read as unknown.
 */
final class PlanFields {
    private final String file;
    private final String entry;
    private final String prefix;
    private final YamlNode.Mapping map;
    private final List<Problem> problems;
    private final Set<String> read = new LinkedHashSet<>();

    PlanFields(String file, String entry, String prefix, YamlNode.Mapping map, List<Problem> problems) {
        this.file = file;
        this.entry = entry;
        this.prefix = prefix;
        this.map = map;
        this.problems = problems;
    }

    int keyLine(String key) {
        YamlNode.Entry e = map.map().get(key);
        return e == null ? map.line() : e.keyLine();
    }

    void problem(String key, String message) {
        problems.add(new Problem(file, keyLine(key), entry, prefix + key, message));
    }

    /** The scalar under {@code key}, or null when absent or null (a problem when required or not a scalar). */
    private YamlNode.Scalar scalar(String key, boolean required) {
        read.add(key);
        YamlNode.Entry e = map.map().get(key);
        if (e == null || e.value() instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL) {
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

    String string(String key, boolean required) {
        YamlNode.Scalar s = scalar(key, required);
        if (s == null) {
            return null;
        }
        if (s.kind() == YamlNode.Scalar.Kind.BOOLEAN) {
            problem(key, "expected a string, got a boolean " + s.text());
            return null;
        }
        if (s.text().isBlank()) {
            problem(key, "must not be empty");
            return null;
        }
        return s.text().trim();
    }

    PlanEntry.Value value(String key, boolean required) {
        String s = string(key, required);
        return s == null ? null : new PlanEntry.Value(s, keyLine(key));
    }

    Integer integer(String key, boolean required, int min) {
        YamlNode.Scalar s = scalar(key, required);
        if (s == null) {
            return null;
        }
        if (s.kind() != YamlNode.Scalar.Kind.INTEGER) {
            problem(key, "expected a whole number, got " + describe(s));
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
            problem(key, "number out of range: " + s.text());
            return null;
        }
    }

    /** A number in (minExclusive.., max]; {@code minExclusive} 0 with max 100 accepts 0 itself (percentages). */
    Double number(String key, double min, double max) {
        YamlNode.Scalar s = scalar(key, false);
        if (s == null) {
            return null;
        }
        if (s.kind() != YamlNode.Scalar.Kind.INTEGER && s.kind() != YamlNode.Scalar.Kind.FLOAT) {
            problem(key, "expected a number, got " + describe(s));
            return null;
        }
        double v = Double.parseDouble(s.text());
        if (!Double.isFinite(v) || v < min || v > max) {
            problem(key, max == Double.MAX_VALUE ? "must be greater than 0, got " + s.text()
                    : "must be between " + fmt(min) + " and " + fmt(max) + ", got " + s.text());
            return null;
        }
        return v;
    }

    /** A token count (4096 or "8k", k = 1024 as on the command line), returned as its integer text. */
    String tokens(String key) {
        YamlNode.Scalar s = scalar(key, false);
        if (s == null) {
            return null;
        }
        if (s.kind() != YamlNode.Scalar.Kind.INTEGER && s.kind() != YamlNode.Scalar.Kind.STRING) {
            problem(key, "expected a token count such as 4096 or \"8k\", got " + describe(s));
            return null;
        }
        try {
            return String.valueOf(Tokens.parse(s.text(), key));
        } catch (LlmplanException e) {
            problem(key, e.getMessage());
            return null;
        }
    }

    /** true/false or on/off, returned as "on"/"off" (the CLI's spelling). */
    String onOff(String key) {
        YamlNode.Scalar s = scalar(key, false);
        if (s == null) {
            return null;
        }
        if (s.kind() == YamlNode.Scalar.Kind.BOOLEAN) {
            return Boolean.parseBoolean(s.text()) ? "on" : "off";
        }
        String t = s.text().trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("on") || t.equals("off")) {
            return t;
        }
        problem(key, "expected true, false, on or off, got " + describe(s));
        return null;
    }

    /** A comma-separated string or a list of strings, returned comma-separated. */
    String stringOrList(String key) {
        YamlNode.Entry e = map.map().get(key);
        if (e != null && e.value() instanceof YamlNode.Sequence seq) {
            read.add(key);
            List<String> out = new ArrayList<>();
            for (YamlNode item : seq.items()) {
                if (item instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.STRING && !s.text().isBlank()) {
                    out.add(s.text().trim());
                } else {
                    problems.add(new Problem(file, item.line(), entry, prefix + key, "expected a string, got " + YamlNode.typeName(item)));
                }
            }
            if (out.isEmpty() && seq.items().isEmpty()) {
                problem(key, "must not be empty");
            }
            return out.isEmpty() ? null : String.join(",", out);
        }
        return string(key, false);
    }

    /** The items of a list, or null when absent (a problem when required or not a list). */
    List<YamlNode> list(String key, boolean required) {
        read.add(key);
        YamlNode.Entry e = map.map().get(key);
        if (e == null || e.value() instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL) {
            if (required) {
                problem(key, "is required");
            }
            return null;
        }
        if (e.value() instanceof YamlNode.Sequence seq) {
            return seq.items();
        }
        problem(key, "expected a list, got " + YamlNode.typeName(e.value()));
        return null;
    }

    /** A nested mapping, or null (a problem when it has the wrong type). */
    YamlNode.Mapping mapping(String key) {
        read.add(key);
        YamlNode.Entry e = map.map().get(key);
        if (e == null || e.value() instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL) {
            return null;
        }
        if (e.value() instanceof YamlNode.Mapping m) {
            return m;
        }
        problem(key, "expected a mapping, got " + YamlNode.typeName(e.value()));
        return null;
    }

    void reportUnknown() {
        for (var e : map.map().entrySet()) {
            if (!read.contains(e.getKey())) {
                problems.add(new Problem(file, e.getValue().keyLine(), entry, prefix + e.getKey(),
                        "unknown key" + suggestion(e.getKey())));
            }
        }
    }

    /** Closest known key by edit distance, for "did you mean" on misspellings. */
    private String suggestion(String key) {
        String best = null;
        int bestDistance = 4;
        for (String k : read) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "; expected one of " + String.join(", ", read) : " (did you mean '" + best + "'?)";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String describe(YamlNode.Scalar s) {
        return s.kind() == YamlNode.Scalar.Kind.STRING ? "\"" + s.text() + "\"" : YamlNode.typeName(s) + " " + s.text();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
