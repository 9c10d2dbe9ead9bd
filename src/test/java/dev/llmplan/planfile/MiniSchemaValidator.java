package dev.llmplan.planfile;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The subset of JSON Schema 2020-12 our schemas use (type, enum, const, pattern, bounds, required,
 * properties, additionalProperties, items, minItems, anyOf, allOf, if/then, dependentRequired, local
 * $ref), so tests can hold the shipped schemas to the real files without a new dependency.
 */
final class MiniSchemaValidator {
    private final JsonNode root;

    MiniSchemaValidator(JsonNode root) {
        this.root = root;
    }

    List<String> validate(JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(root, value, "$", errors);
        return errors;
    }

    boolean valid(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors.isEmpty();
    }

    private void check(JsonNode schema, JsonNode v, String path, List<String> errors) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/$defs/")) {
                throw new IllegalArgumentException("unsupported $ref " + ref);
            }
            check(root.get("$defs").get(ref.substring("#/$defs/".length())), v, path, errors);
        }
        if (schema.has("type") && !typeOk(schema.get("type").asText(), v)) {
            errors.add(path + ": expected " + schema.get("type").asText() + ", got " + v.getNodeType());
            return;
        }
        if (schema.has("const") && !equal(schema.get("const"), v)) {
            errors.add(path + ": expected " + schema.get("const"));
        }
        if (schema.has("enum")) {
            boolean any = false;
            for (JsonNode e : schema.get("enum")) {
                any |= equal(e, v);
            }
            if (!any) {
                errors.add(path + ": " + v + " not in " + schema.get("enum"));
            }
        }
        if (v.isTextual() && schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(v.asText()).find()) {
            errors.add(path + ": \"" + v.asText() + "\" does not match " + schema.get("pattern").asText());
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            if (schema.has("minimum") && d < schema.get("minimum").asDouble()) {
                errors.add(path + ": " + d + " below minimum");
            }
            if (schema.has("maximum") && d > schema.get("maximum").asDouble()) {
                errors.add(path + ": " + d + " above maximum");
            }
            if (schema.has("exclusiveMinimum") && d <= schema.get("exclusiveMinimum").asDouble()) {
                errors.add(path + ": " + d + " not above exclusiveMinimum");
            }
        }
        if (v.isObject()) {
            object(schema, v, path, errors);
        }
        if (v.isArray()) {
            if (schema.has("minItems") && v.size() < schema.get("minItems").asInt()) {
                errors.add(path + ": fewer than " + schema.get("minItems").asInt() + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < v.size(); i++) {
                    check(schema.get("items"), v.get(i), path + "[" + i + "]", errors);
                }
            }
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode s : schema.get("anyOf")) {
                any |= valid(s, v);
            }
            if (!any) {
                errors.add(path + ": matches none of anyOf");
            }
        }
        if (schema.has("allOf")) {
            for (JsonNode s : schema.get("allOf")) {
                check(s, v, path, errors);
            }
        }
        if (schema.has("if") && valid(schema.get("if"), v) && schema.has("then")) {
            check(schema.get("then"), v, path, errors);
        }
    }

    private void object(JsonNode schema, JsonNode v, String path, List<String> errors) {
        if (schema.has("required")) {
            for (JsonNode r : schema.get("required")) {
                if (!v.has(r.asText())) {
                    errors.add(path + ": missing " + r.asText());
                }
            }
        }
        JsonNode props = schema.get("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (props != null && props.has(f.getKey())) {
                check(props.get(f.getKey()), f.getValue(), path + "." + f.getKey(), errors);
            } else if (schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean(true)) {
                errors.add(path + ": unknown key " + f.getKey());
            }
        }
        if (schema.has("dependentRequired")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.get("dependentRequired").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> d = it.next();
                if (v.has(d.getKey())) {
                    for (JsonNode r : d.getValue()) {
                        if (!v.has(r.asText())) {
                            errors.add(path + ": " + d.getKey() + " needs " + r.asText());
                        }
                    }
                }
            }
        }
    }

    private static boolean typeOk(String type, JsonNode v) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.asDouble() == b.asDouble();
        }
        return a.equals(b);
    }
}
