package dev.llmplan.catalog;

import dev.llmplan.engine.Names;

import dev.llmplan.yaml.Problem;

import dev.llmplan.yaml.YamlFields;

import dev.llmplan.yaml.YamlNode;
import dev.llmplan.yaml.YamlNumbers;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ParamCount;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Typed fields of one catalog mapping, in the catalog's wording (see {@link YamlFields}). */
final class Fields extends YamlFields {
    Fields(String file, String entry, String prefix, YamlNode.Mapping map, List<Problem> problems) {
        super(file, entry, prefix, map, problems);
    }

    /** A non-empty string; numbers are accepted as their text, booleans are not. */
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

    /** An integer in [{@code min}, {@code max}] (every catalog count has a plausible range; see CatalogParser). */
    Integer integer(String key, boolean required, int min, int max) {
        return wholeNumber(key, required, min, max, "an integer");
    }

    /** A number in ({@code minExclusive}, {@code max}]. */
    Double number(String key, boolean required, double minExclusive, double max) {
        return numberWhere(key, required, v -> v > minExclusive && v <= max,
                "must be greater than " + fmt(minExclusive) + " and at most " + fmt(max));
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
                java.math.BigInteger v = YamlNumbers.integer(s.text());
                if (v.bitLength() > 62) {
                    problem(key, "a parameter count above 1e17 is not supported, got " + s.text());
                    return null;
                }
                return new ParamCount(v.longValue()).value();
            }
            if (s.kind() == YamlNode.Scalar.Kind.STRING) {
                return ParamCount.parse(s.text()).value();
            }
            problem(key, "expected a parameter count such as 6738415616 or \"7B\", got " + describe(s));
        } catch (LlmplanException e) {
            problem(key, e.getMessage());
        } catch (YamlNumbers.NotANumber e) {
            problem(key, e.getMessage());
        }
        return null;
    }

    List<String> strings(String key) {
        YamlNode.Entry e = take(key);
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
                problemAt(item.line(), key, "expected a string, got " + YamlNode.typeName(item));
            }
        }
        return out;
    }

    /** A nested mapping, or null when absent (a problem when it has the wrong type, null included). */
    YamlNode.Mapping mapping(String key) {
        return asMapping(take(key), key);
    }

    @Override
    protected String suggestion(String key, Set<String> known) {
        String best = Names.closest(key, known, 3);
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }
}
