package dev.llmplan.accuracy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.ModelSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the engine on published figures and writes the signed report to target/accuracy-report.md
 * (scripts/accuracy-report.sh prints it). Two kinds of mapping files:
 * <ul>
 * <li>accuracy/cases.yaml maps the shared validation set (published-memory.yaml, a copy of
 * shared/validation): every figure must stay within its tolerance;</li>
 * <li>accuracy/independent-*-cases.yaml map the independent test set (independent-*.yaml): every
 * figure must be evaluated (model resolved, options and value parsed, estimate made), and is
 * reported with its signed error; a tenth of the cases is a hold-back, never calibrated on.</li>
 * </ul>
 */
class AccuracyTest {
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

    static final List<Result> results = new ArrayList<>();
    static final List<String[]> unreproduced = new ArrayList<>();
    /** Mapped figures that could not be evaluated, with the reason (file, case, figure: message). */
    static final List<String> errors = new ArrayList<>();
    /** Case id -> whether the mapping marks it holdout, for the independent files. */
    static final Map<String, Boolean> holdoutFlags = new HashMap<>();

    @BeforeAll
    static void runAllCases() throws IOException {
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
        AccuracyReport.write(Path.of("target", "accuracy-report.md"), results, unreproduced, errors);
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
                o.trainer(), o.prompt(), e.context(), e.workload().batch(), o.ignored());
    }

    @Test
    void everySharedValidationFigureIsWithinItsTolerance() {
        List<Result> shared = results.stream().filter(r -> !r.independent()).toList();
        assertThat(shared).isNotEmpty();
        assertThat(errors).filteredOn(e -> e.startsWith(MAPPINGS.get(0).resource())).isEmpty();
        List<String> failures = shared.stream().filter(r -> !r.ok())
                .map(r -> String.format(Locale.ROOT, "%s[%d] %s: published %.4g, estimated %.4g (%+.1f%%, tolerance %.0f%%)",
                        r.caseId(), r.figure(), r.compare(), r.published(), r.estimated(), r.error() * 100, r.tolerance() * 100))
                .toList();
        assertThat(failures).isEmpty();
    }

    /**
     * The independent set is reported, not yet held to tolerances: every mapped figure must be
     * evaluated (its case and figure exist, the value parses, the model resolves, the options are
     * known and accepted by the engine), and there are at least 150 of them.
     */
    @Test
    void everyIndependentFigureIsEvaluated() {
        assertThat(errors).isEmpty();
        assertThat(results.stream().filter(Result::independent).count()).isGreaterThanOrEqualTo(150);
    }

    @Test
    void everyValidationCaseIsEitherMappedOrExplained() throws IOException {
        Set<String> handled = new HashSet<>();
        results.forEach(r -> handled.add(r.caseId()));
        unreproduced.forEach(u -> handled.add(u[0]));
        // Per published file: at least 70% of the measured cases are either compared or explained.
        for (String file : List.of(DEFAULT_PUBLISHED, "independent-inference.yaml", "independent-finetune.yaml")) {
            List<String> measured = new ArrayList<>();
            read("/accuracy/" + file).forEach(c -> {
                if (c.get("kind").asText().equals("measurement")) {
                    measured.add(c.get("id").asText());
                }
            });
            long covered = measured.stream().filter(handled::contains).count();
            assertThat(covered).as("measured cases of %s mapped or explained", file)
                    .isGreaterThanOrEqualTo(Math.round(measured.size() * 0.7));
        }
    }

    @Test
    void caseIdsAreUniqueAcrossThePublishedFiles() throws IOException {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (String file : List.of(DEFAULT_PUBLISHED, "independent-inference.yaml", "independent-finetune.yaml")) {
            read("/accuracy/" + file).forEach(c -> {
                if (!seen.add(c.get("id").asText())) {
                    duplicates.add(c.get("id").asText());
                }
            });
        }
        assertThat(duplicates).isEmpty();
    }

    /** The hold-back is fixed by the case id alone, so nobody can pick it: SHA-256(id) = 0 mod 10. */
    @Test
    void theHoldBackIsTheDocumentedTenth() {
        assertThat(holdoutFlags).isNotEmpty();
        holdoutFlags.forEach((id, flagged) -> assertThat(flagged).as("holdout flag of %s", id).isEqualTo(heldOut(id)));
        long held = holdoutFlags.values().stream().filter(b -> b).count();
        assertThat((double) held / holdoutFlags.size()).isBetween(0.05, 0.15);
        assertThat(results).filteredOn(r -> !r.independent()).noneMatch(Result::holdout);
    }

    static boolean heldOut(String caseId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(caseId.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, digest).mod(BigInteger.TEN).signum() == 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = AccuracyTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return YAML.readTree(in);
        }
    }
}
