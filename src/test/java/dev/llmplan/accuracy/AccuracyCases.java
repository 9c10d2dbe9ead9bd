package dev.llmplan.accuracy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.EstimateKind;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.ModelSpec;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every mapped published figure run through the engine: the results, the cases not reproduced (with
 * the reason), the figures that could not be evaluated, and which independent cases are held back.
 * The accuracy test reports them; the error-band writer builds the bands from them at build time.
 */
record AccuracyCases(List<Result> results, List<String[]> unreproduced, List<String> errors,
                     Map<String, Boolean> holdoutFlags) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NUMBER = Pattern.compile("([0-9][0-9,]*(?:\\.[0-9]+)?)");
    private static final Map<String, Double> UNITS = Map.of(
            "GiB", 1024.0 * 1024 * 1024, "MiB", 1024.0 * 1024, "GB", 1e9, "MB", 1e6, "B", 1.0, "count", 1.0, "outcome", 1.0,
            "tokens/s", 1.0);

    /** A mapping file and whether its figures are held to their tolerances. */
    record MappingFile(String resource, boolean independent) {
    }

    static final List<MappingFile> MAPPINGS = List.of(
            new MappingFile("/accuracy/cases.yaml", false),
            new MappingFile("/accuracy/independent-inference-cases.yaml", true),
            new MappingFile("/accuracy/independent-finetune-cases.yaml", true));

    /** The published file a mapping refers to when it names none. */
    static final String DEFAULT_PUBLISHED = "published-memory.yaml";

    static AccuracyCases run() throws IOException {
        List<Result> results = new ArrayList<>();
        List<String[]> unreproduced = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<String, Boolean> holdoutFlags = new HashMap<>();
        Catalog catalog = CatalogLoader.builtin();
        for (MappingFile file : MAPPINGS) {
            JsonNode mapping = read(file.resource());
            String publishedName = mapping.has("published") ? mapping.get("published").asText() : DEFAULT_PUBLISHED;
            Map<String, JsonNode> byId = byId(publishedName);
            for (JsonNode m : mapping.get("cases")) {
                String id = m.path("case").asText();
                try {
                    results.add(evaluate(catalog, byId, m, file.independent()));
                } catch (RuntimeException e) {
                    errors.add(String.format(Locale.ROOT, "%s: %s[%s]: %s", file.resource(), id, m.path("figure").asText(),
                            e.getMessage()));
                }
                if (file.independent()) {
                    holdoutFlags.merge(id, m.path("holdout").asBoolean(false), (a, b) -> a && b);
                }
            }
            for (JsonNode u : mapping.get("unreproduced")) {
                String id = u.get("case").asText();
                if (!byId.containsKey(id)) {
                    errors.add(file.resource() + ": unreproduced case " + id + " is not in " + publishedName);
                }
                unreproduced.add(new String[] {id, u.get("reason").asText()});
            }
        }
        return new AccuracyCases(results, unreproduced, errors, holdoutFlags);
    }

    static Result evaluate(Catalog catalog, Map<String, JsonNode> byId, JsonNode m, boolean independent) {
        String id = m.get("case").asText();
        JsonNode c = byId.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no such case in the published file");
        }
        int index = m.get("figure").asInt();
        JsonNode figure = c.get("figures").get(index);
        if (figure == null) {
            throw new IllegalArgumentException("the case has no figure " + index);
        }
        String compare = m.get("compare").asText();
        String unit = m.get("unit").asText();
        if (!UNITS.containsKey(unit)) {
            throw new IllegalArgumentException("unknown unit " + unit);
        }
        // Binary outcomes ("No OOM" / "OOM") compare the fit verdict: 1 fits, 0 does not.
        double value = compare.equals("fitsOnGpu") ? (figure.get("value").asText().startsWith("No OOM") ? 1 : 0)
                : number(figure.get("value").asText()) * UNITS.get(unit);
        ModelSpec model = catalog.model(m.get("model").asText());
        CaseOptions o = CaseOptions.parse(model, m.path("options"));
        GpuSpec gpu = m.has("gpu") ? catalog.gpu(m.get("gpu").asText()) : null;
        if (gpu == null && (compare.equals("fitsOnGpu") || compare.startsWith("vllm"))) {
            throw new IllegalArgumentException(compare + " needs a gpu");
        }
        Estimate e = MemoryEstimator.estimate(model, o.workload());
        double estimated = Comparison.measure(e, compare, gpu, o);
        return new Result(id, index, figure.get("what").asText(), compare, o.measure(), value, estimated,
                m.get("tolerance").asDouble(), independent, m.path("holdout").asBoolean(false), Comparison.kind(compare, e),
                o.runtimeLabel(), e.workload().mode().id(), e.workload().format().kind().name().toLowerCase(Locale.ROOT),
                o.trainer(), o.prompt(), e.context(), e.workload().batch(), o.ignored(), EstimateKind.keys(e),
                Comparison.productFits(e, compare, gpu));
    }

    static double number(String text) {
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no number in " + text);
        }
        return Double.parseDouble(m.group(1).replace(",", ""));
    }

    private static Map<String, JsonNode> byId(String publishedName) throws IOException {
        Map<String, JsonNode> byId = new HashMap<>();
        read("/accuracy/" + publishedName).forEach(c -> byId.put(c.get("id").asText(), c));
        return byId;
    }

    static JsonNode read(String resource) throws IOException {
        try (InputStream in = AccuracyCases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return YAML.readTree(in);
        }
    }
}
