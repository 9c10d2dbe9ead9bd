package dev.llmplan.accuracy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.KvFormat;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.TransformersRuntime;
import dev.llmplan.engine.TrainingOptions;
import dev.llmplan.engine.VllmCapacity;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.plan.Placement;
import dev.llmplan.engine.Workload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the engine on the published figures of shared/validation (copied into test resources) as
 * mapped in accuracy/cases.yaml, holds each to its tolerance, and writes the per-case report to
 * target/accuracy-report.md (scripts/accuracy-report.sh prints it).
 */
class AccuracyTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NUMBER = Pattern.compile("([0-9][0-9,]*(?:\\.[0-9]+)?)");
    private static final Map<String, Double> UNITS = Map.of(
            "GiB", 1024.0 * 1024 * 1024, "MiB", 1024.0 * 1024, "GB", 1e9, "MB", 1e6, "B", 1.0, "count", 1.0, "outcome", 1.0);

    record Result(String caseId, int figure, String what, String compare, double published, double estimated,
                  double tolerance) {
        double error() {
            return published == 0 ? estimated - published : (estimated - published) / published;
        }

        boolean ok() {
            return Math.abs(error()) <= tolerance;
        }
    }

    static List<Result> results = new ArrayList<>();
    static List<String[]> unreproduced = new ArrayList<>();

    @BeforeAll
    static void runAllCases() throws IOException {
        JsonNode published = read("/accuracy/published-memory.yaml");
        Map<String, JsonNode> byId = new HashMap<>();
        published.forEach(c -> byId.put(c.get("id").asText(), c));
        JsonNode mapping = read("/accuracy/cases.yaml");
        Catalog catalog = CatalogLoader.builtin();
        for (JsonNode m : mapping.get("cases")) {
            JsonNode c = byId.get(m.get("case").asText());
            assertThat(c).as("case %s exists in published-memory.yaml", m.get("case").asText()).isNotNull();
            JsonNode figure = c.get("figures").get(m.get("figure").asInt());
            String compare = m.get("compare").asText();
            // Binary outcomes ("No OOM" / "OOM") compare the fit verdict: 1 fits, 0 does not.
            double value = compare.equals("fitsOnGpu") ? (figure.get("value").asText().startsWith("No OOM") ? 1 : 0)
                    : number(figure.get("value").asText()) * UNITS.get(m.get("unit").asText());
            ModelSpec model = catalog.model(m.get("model").asText());
            Estimate e = MemoryEstimator.estimate(model, workload(model, m.get("options")));
            double estimated = switch (compare) {
                case "vllmBlocks" -> VllmCapacity.of(e, catalog.gpu(m.get("gpu").asText()).usableMemory()).blocks();
                case "fitsOnGpu" -> Placement.place(e, HardwareSpec.of(catalog.gpu(m.get("gpu").asText()), 1))
                        .verdict().fits() ? 1 : 0;
                default -> measure(e, compare);
            };
            results.add(new Result(c.get("id").asText(), m.get("figure").asInt(), figure.get("what").asText(),
                    m.get("compare").asText(), value, estimated, m.get("tolerance").asDouble()));
        }
        for (JsonNode u : mapping.get("unreproduced")) {
            assertThat(byId).containsKey(u.get("case").asText());
            unreproduced.add(new String[] {u.get("case").asText(), u.get("reason").asText()});
        }
        writeReport();
    }

    @Test
    void everyMappedCaseIsWithinItsTolerance() {
        assertThat(results).isNotEmpty();
        List<String> failures = results.stream().filter(r -> !r.ok())
                .map(r -> String.format(Locale.ROOT, "%s[%d] %s: published %.4g, estimated %.4g (%+.1f%%, tolerance %.0f%%)",
                        r.caseId(), r.figure(), r.compare(), r.published(), r.estimated(), r.error() * 100, r.tolerance() * 100))
                .toList();
        assertThat(failures).isEmpty();
    }

    @Test
    void everyValidationCaseIsEitherMappedOrExplained() throws IOException {
        JsonNode published = read("/accuracy/published-memory.yaml");
        List<String> handled = new ArrayList<>();
        results.forEach(r -> handled.add(r.caseId()));
        unreproduced.forEach(u -> handled.add(u[0]));
        List<String> measured = new ArrayList<>();
        published.forEach(c -> {
            String mode = c.get("mode").asText();
            if (c.get("kind").asText().equals("measurement")) {
                measured.add(c.get("id").asText());
            }
        });
        // Measured cases of every mode: at least 70% are either compared or explained in cases.yaml.
        long covered = measured.stream().filter(handled::contains).count();
        assertThat(covered).isGreaterThanOrEqualTo(Math.round(measured.size() * 0.7));
    }

    static Workload workload(ModelSpec model, JsonNode o) {
        String quant = text(o, "quant", "bf16".equals(model.nativePrecision()) ? "bf16" : "fp16");
        Mode mode = Mode.parse(text(o, "mode", "inference"));
        Integer context = o.has("context") ? o.get("context").asInt() : null;
        int batch = o.has("batch") ? o.get("batch").asInt() : 1;
        KvFormat kv = o.has("kvCache") ? KvFormat.parse(o.get("kvCache").asText()) : null;
        Runtime runtime = o.has("runtime") ? Runtime.parse(o.get("runtime").asText()) : null;
        Boolean flash = o.has("flashAttention") ? "on".equals(o.get("flashAttention").asText()) : null;
        int gpus = o.has("gpus") ? o.get("gpus").asInt() : 1;
        TrainingOptions t = new TrainingOptions(
                o.has("precision") ? TrainingOptions.Precision.parse(o.get("precision").asText()) : null,
                o.has("optimizer") ? TrainingOptions.Optimizer.parse(o.get("optimizer").asText()) : null,
                o.has("gradCheckpointing") ? TrainingOptions.Checkpointing.parse(o.get("gradCheckpointing").asText()) : null,
                o.has("loraRank") ? o.get("loraRank").asInt() : null,
                o.has("loraTargets") ? List.of(o.get("loraTargets").asText().split(",")) : null,
                o.has("zero") ? o.get("zero").asInt() : null,
                o.has("offload") ? TrainingOptions.Offload.parse(o.get("offload").asText()) : null,
                null, null, null);
        return new Workload(mode, WeightFormat.parse(quant, null), context, batch, kv, runtime, flash, gpus, t);
    }

    static double measure(Estimate e, String compare) {
        long weightsGpu = e.component(Component.WEIGHTS).value();
        long host = e.hostTotal().value();
        return switch (compare) {
            case "weights" -> weightsGpu + host;
            case "weightsGpu" -> weightsGpu;
            case "weightsPerGpu" -> weightsGpu / (double) e.workload().gpuCount();
            case "weightsHost" -> host;
            case "kvCache" -> e.component(Component.KV_CACHE).value();
            case "activations" -> e.component(Component.ACTIVATIONS).value();
            case "weightsPlusActivations" -> weightsGpu + host + e.component(Component.ACTIVATIONS).value();
            // NVML "used" after loading: weights plus the CUDA context PyTorch creates.
            case "weightsPlusPytorchContext" -> weightsGpu + host + TransformersRuntime.PYTORCH_CUDA_CONTEXT_BYTES;
            case "total" -> e.total().value();
            // torch.cuda.max_memory_allocated: tensors only, no CUDA context.
            case "peakAllocated" -> weightsGpu + e.component(Component.KV_CACHE).value()
                    + e.component(Component.ACTIVATIONS).value();
            // Model states (weights, gradients, optimizer, adapters) on one GPU, as DeepSpeed's estimators print.
            case "modelStatesPerGpu" -> (weightsGpu + e.component(Component.GRADIENTS).value()
                    + e.component(Component.OPTIMIZER).value() + e.component(Component.ADAPTERS).value())
                    / (double) e.workload().gpuCount();
            // torch "mem allocated" between steps: model states without activations or CUDA context.
            case "modelStates" -> weightsGpu + e.component(Component.GRADIENTS).value()
                    + e.component(Component.OPTIMIZER).value() + e.component(Component.ADAPTERS).value();
            default -> throw new IllegalArgumentException("unknown comparison " + compare);
        };
    }

    static double number(String text) {
        Matcher m = NUMBER.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no number in " + text);
        }
        return Double.parseDouble(m.group(1).replace(",", ""));
    }

    private static String text(JsonNode o, String key, String fallback) {
        return o != null && o.has(key) ? o.get(key).asText() : fallback;
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = AccuracyTest.class.getResourceAsStream(resource)) {
            return YAML.readTree(in);
        }
    }

    private static void writeReport() throws IOException {
        StringBuilder sb = new StringBuilder("| case | figure | compares | published | estimated | error | tolerance |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|\n");
        List<Double> errors = new ArrayList<>();
        for (Result r : results) {
            errors.add(Math.abs(r.error()));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.4g | %.4g | %+.2f%% | %.0f%%%s |%n", r.caseId(),
                    r.what().replace("|", "/"), r.compare(), r.published(), r.estimated(), r.error() * 100,
                    r.tolerance() * 100, r.ok() ? "" : " FAIL"));
        }
        errors.sort(Double::compare);
        double median = errors.isEmpty() ? 0 : errors.get(errors.size() / 2);
        double worst = errors.isEmpty() ? 0 : errors.get(errors.size() - 1);
        sb.append(String.format(Locale.ROOT, "%n%d figures: median absolute error %.2f%%, worst %.2f%%%n",
                results.size(), median * 100, worst * 100));
        sb.append("\nNot reproduced:\n");
        for (String[] u : unreproduced) {
            sb.append("- ").append(u[0]).append(": ").append(u[1]).append('\n');
        }
        Path out = Path.of("target", "accuracy-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString());
    }
}
