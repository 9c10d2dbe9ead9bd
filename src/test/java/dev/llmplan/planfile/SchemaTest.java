package dev.llmplan.planfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.yaml.DataFileException;
import dev.llmplan.request.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped JSON Schemas agree with the parsers and with the real files. */
class SchemaTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path CATALOG_SCHEMA = Path.of("schema/catalog.schema.json");
    static final Path PLAN_SCHEMA = Path.of("schema/plan.schema.json");
    static final Path PARSER_SOURCE = Path.of("src/main/java/dev/llmplan/catalog/CatalogParser.java");

    static JsonNode json(Path p) throws IOException {
        return JSON.readTree(p.toFile());
    }

    @Test
    void builtInCatalogValidatesAgainstTheCatalogSchema() throws IOException {
        MiniSchemaValidator v = new MiniSchemaValidator(json(CATALOG_SCHEMA));
        JsonNode catalog = YAML.readTree(Path.of("catalog.yaml").toFile());
        assertThat(v.validate(catalog)).isEmpty();
        assertThat(catalog.get("models").size()).isGreaterThan(10);
    }

    @Test
    void schemaDeclaresExactlyTheKeysTheCatalogParserReads() throws IOException {
        String src = Files.readString(PARSER_SOURCE);
        JsonNode defs = json(CATALOG_SCHEMA).get("$defs");
        Set<String> price = keys(method(src, "private static Price price("));
        Set<String> id = keys(method(src, " id(Fields f"));
        assertThat(propertyNames(defs.get("model"))).isEqualTo(union(keys(method(src, "private ModelSpec model(")), id));
        assertThat(propertyNames(defs.get("architecture"))).isEqualTo(keys(method(src, "private Architecture architecture(")));
        assertThat(propertyNames(defs.get("gpu"))).isEqualTo(union(keys(method(src, "private GpuSpec gpu(")), id, price));
        assertThat(propertyNames(defs.get("system"))).isEqualTo(union(keys(method(src, "private RawSystem system(")), id, price));
        assertThat(propertyNames(json(CATALOG_SCHEMA))).isEqualTo(Set.of("schemaVersion", "models", "gpus", "systems"));
    }

    @Test
    void schemaRequiresExactlyTheKeysTheCatalogParserRequires() throws IOException {
        String src = Files.readString(PARSER_SOURCE);
        JsonNode defs = json(CATALOG_SCHEMA).get("$defs");
        Set<String> id = Set.of("id"); // id(f) reads it as required
        assertThat(required(defs.get("model"))).isEqualTo(union(requiredKeys(method(src, "private ModelSpec model(")), id));
        assertThat(required(defs.get("gpu"))).isEqualTo(union(requiredKeys(method(src, "private GpuSpec gpu(")), id));
        assertThat(required(defs.get("system"))).isEqualTo(union(requiredKeys(method(src, "private RawSystem system(")), id));
        assertThat(required(defs.get("architecture"))).isEmpty();
    }

    /** Each snippet is judged the same way by the loader and by the schema. */
    @ParameterizedTest
    @ValueSource(strings = {
            "gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s}]|ok",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s, aliases: null}]|bad",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s, notes: null}]|ok",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 0, source: s}]|bad",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: toy, memoryGiB: 8, source: s}]|bad",
            "gpus: [{id: X1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s}]|bad",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s, priceUsd: 5}]|bad",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s, priceUsd: 5, priceSource: p}]|ok",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s, tdpW: 1.5}]|bad",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s, colour: red}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B}]|ok",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: closed, type: decoder, source: s}]|ok",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, released: 2023-13x}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, architecture: {heads: 0}}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, architecture: {layersX: 2}}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, nativePrecision: fp12}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, architecture: {layers: 10001}}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, architecture: {layers: 10000}}]|ok",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 100001, source: s}]|bad",
            "{gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s}], systems: [{id: s1, name: S, vendor: nvidia, gpu: x1, count: 1025, source: s}]}|bad",
            "{gpus: [{id: x1, name: X, vendor: nvidia, category: consumer, memoryGiB: 8, source: s}], systems: [{id: s1, name: S, vendor: nvidia, gpu: x1, count: 1024, source: s}]}|ok",
            "schemaVersion: 2|bad",
            "colour: red|bad",
            "gpus: [{id: x1, name: X, vendor: nvidia, category: embedded, memoryGiB: 64, source: s}]|ok",
            "gpus: [{id: x1, name: X, vendor: amd, category: datacenter, memoryGiB: 64, devicesPerCard: 2, source: s}]|ok",
            "gpus: [{id: x1, name: X, vendor: amd, category: datacenter, memoryGiB: 64, devicesPerCard: 0, source: s}]|bad",
            "gpus: [{id: x1, name: X, vendor: amd, category: datacenter, memoryGiB: 64, devicesPerCard: 17, source: s}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, familyAliases: [Mm]}]|ok",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, visionEncoder: {parameters: 400M, imageTokens: 256, imageSize: 896, source: s}}]|ok",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, visionEncoder: {parameters: 400M}}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, visionEncoder: {parameters: 400M, source: s, colour: red}}]|bad",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, architecture: {maxContext: 32768, extendedContext: 131072}}]|ok",
            "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B, architecture: {layers: 32, attentionLayers: 4}}]|ok",
    })
    void loaderAndSchemaAgreeOnSnippets(String row) throws IOException {
        String[] parts = row.split("\\|");
        String yaml = parts[0];
        boolean ok = parts[1].equals("ok");
        MiniSchemaValidator v = new MiniSchemaValidator(json(CATALOG_SCHEMA));
        assertThat(v.validate(YAML.readTree(yaml))).as("schema on " + yaml).matches(l -> l.isEmpty() == ok, ok ? "no errors" : "errors");
        if (ok) {
            CatalogLoader.fromText(yaml, "snippet.yaml");
        } else {
            assertThatThrownBy(() -> CatalogLoader.fromText(yaml, "snippet.yaml")).isInstanceOf(DataFileException.class);
        }
    }

    @Test
    void planSchemaListsTheKeysOfTheOptionTable() throws IOException {
        JsonNode defs = json(PLAN_SCHEMA).get("$defs");
        for (String section : List.of("workload", "hardware")) {
            Set<String> table = new TreeSet<>();
            for (PlanKey k : Options.planKeys()) {
                if (k.section().equals(section)) {
                    table.add(k.key());
                    JsonNode schema = defs.get(section).get("properties").get(k.key());
                    String text = schema.toString();
                    switch (k.type()) {
                        case INTEGER -> assertThat(text).as(k.key()).contains("\"integer\"");
                        case TOKENS -> assertThat(text).as(k.key()).contains("#/$defs/tokens");
                        case ON_OFF -> assertThat(text).as(k.key()).contains("boolean");
                        case LIST -> assertThat(text).as(k.key()).contains("array");
                        case TEXT -> assertThat(text).as(k.key()).contains("#/$defs/text");
                    }
                }
            }
            assertThat(propertyNames(defs.get(section))).as(section).isEqualTo(table);
        }
        assertThat(propertyNames(defs.get("requirements"))).isEqualTo(
                Set.of("minHeadroomPercent", "maxGpus", "minContext", "maxCostUsd", "minDecodeTokensPerSecond"));
    }

    @Test
    void planSchemaOffersExactlyTheRegisteredRuntimes() throws IOException {
        JsonNode runtime = json(PLAN_SCHEMA).get("$defs").get("workload").get("properties").get("runtime");
        List<String> listed = new java.util.ArrayList<>();
        runtime.findValues("enum").forEach(e -> e.forEach(v -> listed.add(v.asText())));
        assertThat(listed).isEqualTo(dev.llmplan.engine.Runtimes.all().stream().map(dev.llmplan.engine.Runtime::id).toList());
    }

    @Test
    void examplePlansValidateAgainstThePlanSchemaExceptTheInvalidOne() throws IOException {
        MiniSchemaValidator v = new MiniSchemaValidator(json(PLAN_SCHEMA));
        List<Path> plans;
        try (var s = Files.list(Path.of("examples"))) {
            plans = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(plans).hasSizeGreaterThanOrEqualTo(6);
        for (Path p : plans) {
            List<String> errors = v.validate(YAML.readTree(p.toFile()));
            if (p.getFileName().toString().startsWith("invalid")) {
                assertThat(errors).as(p.toString()).isNotEmpty();
            } else {
                assertThat(errors).as(p.toString()).isEmpty();
            }
        }
    }

    private static String method(String src, String signature) {
        int start = src.indexOf(signature);
        assertThat(start).as(signature).isGreaterThanOrEqualTo(0);
        int next = src.indexOf("\n    private ", start + 1);
        return src.substring(start, next < 0 ? src.length() : next);
    }

    private static final Pattern READ = Pattern.compile(
            "(?:f\\.(?:string|integer|number|bool|paramCount|strings|mapping)\\(|oneOf\\(f, )\"(\\w+)\"");
    private static final Pattern REQUIRED = Pattern.compile(
            "(?:f\\.(?:string|integer|number|paramCount)\\(|oneOf\\(f, )\"(\\w+)\", (?:[A-Z_]+, )?true\\b");

    private static Set<String> keys(String body) {
        Set<String> out = new TreeSet<>();
        Matcher m = READ.matcher(body);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Set<String> requiredKeys(String body) {
        Set<String> out = new TreeSet<>();
        Matcher m = REQUIRED.matcher(body);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Set<String> propertyNames(JsonNode schema) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = schema.get("properties").fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static Set<String> required(JsonNode schema) {
        Set<String> out = new TreeSet<>();
        if (schema.has("required")) {
            schema.get("required").forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> out = new TreeSet<>();
        for (Set<String> s : sets) {
            out.addAll(s);
        }
        return out;
    }
}
