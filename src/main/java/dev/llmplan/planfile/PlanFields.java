package dev.llmplan.planfile;

import dev.llmplan.engine.Names;
import dev.llmplan.yaml.Problem;
import dev.llmplan.yaml.YamlFields;
import dev.llmplan.yaml.YamlNode;
import dev.llmplan.yaml.YamlNumbers;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Typed fields of one plan-file mapping, in the plan file's wording (see {@link YamlFields}). */
final class PlanFields extends YamlFields {
    /** Misspellings within this many edits of a known key get a "did you mean". */
    private static final int MAX_SUGGESTION_DISTANCE = 3;

    PlanFields(String file, String entry, String prefix, YamlNode.Mapping map, List<Problem> problems) {
        super(file, entry, prefix, map, problems);
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
        return wholeNumber(key, required, min, Integer.MAX_VALUE, "a whole number");
    }

    /** A number in [min, max]; with max {@code Double.MAX_VALUE} the message reads "must be greater than 0". */
    Double number(String key, double min, double max) {
        return numberWhere(key, false, v -> v >= min && v <= max, max == Double.MAX_VALUE
                ? "must be greater than 0" : "must be between " + fmt(min) + " and " + fmt(max));
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
            String text = s.kind() == YamlNode.Scalar.Kind.INTEGER ? YamlNumbers.integer(s.text()).toString() : s.text();
            return String.valueOf(Tokens.parse(text, key));
        } catch (LlmplanException | YamlNumbers.NotANumber e) {
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
            // YAML 1.1 booleans include on/off and yes/no: "on" must not read as false.
            String b = s.text().trim().toLowerCase(Locale.ROOT);
            return b.equals("true") || b.equals("on") || b.equals("yes") || b.equals("y") ? "on" : "off";
        }
        String t = s.text().trim().toLowerCase(Locale.ROOT);
        if (t.equals("on") || t.equals("off")) {
            return t;
        }
        problem(key, "expected true, false, on or off, got " + describe(s));
        return null;
    }

    /** A comma-separated string or a list of strings, returned comma-separated. */
    String stringOrList(String key) {
        YamlNode.Entry e = take(key);
        if (e != null && e.value() instanceof YamlNode.Sequence seq) {
            List<String> out = new ArrayList<>();
            for (YamlNode item : seq.items()) {
                if (item instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.STRING && !s.text().isBlank()) {
                    out.add(s.text().trim());
                } else {
                    problemAt(item.line(), key, "expected a string, got " + YamlNode.typeName(item));
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
        YamlNode.Entry e = take(key);
        if (e == null || isNull(e)) {
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

    /** A nested mapping, or null when absent or null (a problem when it has the wrong type). */
    YamlNode.Mapping mapping(String key) {
        YamlNode.Entry e = take(key);
        return e == null || isNull(e) ? null : asMapping(e, key);
    }

    /** Keys that belong in another section of the entry (e.g. {@code ram} under workload) say where they go. */
    void reportMisplaced(List<PlanKey> keys, String section) {
        for (PlanKey k : keys) {
            if (!k.section().equals(section) && has(k.key())) {
                take(k.key());
                problem(k.key(), "belongs in the " + k.section() + " section (" + k.section() + "." + k.key() + ")");
            }
        }
    }

    /** The first read key closest by case-insensitive edit distance, else the list of known keys. */
    @Override
    protected String suggestion(String key, Set<String> known) {
        String best = null;
        int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
        for (String k : known) {
            int d = Names.distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "; expected one of " + String.join(", ", known) : " (did you mean '" + best + "'?)";
    }
}
