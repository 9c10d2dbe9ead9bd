package dev.llmplan.accuracy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmplan.engine.KvFormat;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.Serving;
import dev.llmplan.engine.TrainingOptions;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import dev.llmplan.request.ValueParsers;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The workload options of one mapped figure (the `options` of a mapping entry) turned into an
 * engine {@link Workload}. Keys the source states but the engine cannot take yet are kept and
 * listed in {@link #ignored()}, so the report shows which settings are not modelled; a key outside
 * the vocabulary is an error (a typo must not pass silently).
 */
record CaseOptions(Workload workload, String runtimeLabel, String measure, String trainer, Integer prompt,
                   List<String> ignored, Integer gpuLayers, Double ramBandwidth) {

    /** Keys passed to the engine today. */
    static final Set<String> ENGINE_KEYS = Set.of("quant", "mode", "context", "batch", "kvCache", "runtime",
            "flashAttention", "precision", "optimizer", "gradCheckpointing", "loraRank", "loraTargets", "zero",
            "offload", "gpus", "virtualTokens", "prompt", "maxNumSeqs", "maxNumBatchedTokens", "gpuMemoryUtilization",
            "enforceEager", "cpuMoe", "nCpuMoe", "gpuLayers", "ramBandwidth", "draft", "draftQuant", "loraDropout", "fsdpWrap",
            "gradAccumulation");

    /**
     * Keys the sources state that the engine does not take yet: sequence packing, torch.compile and chunked
     * cross-entropy. They are stored and reported as ignored.
     */
    static final Set<String> RECORDED_KEYS = Set.of("packing", "compile", "chunkedLoss");

    /**
     * The training framework: {@code litgpt}, {@code trl} and {@code answerai-fsdp} go to the engine
     * ({@link TrainingOptions.Trainer}); every other label (hf, fms, torchtune, ...) is stored and reported as ignored, the engine's default
     * being hf.
     */
    static final String TRAINER_KEY = "trainer";

    /** What the figure is (allocated, reserved, device, ...); read by the harness for the report. */
    static final String MEASURE_KEY = "measure";

    /** A speculative-decoding draft: a catalog id in its stated format (its checkpoint's when none is stated). */
    private static dev.llmplan.engine.Draft draft(JsonNode o) {
        if (!o.has("draft")) {
            return null;
        }
        ModelSpec m = dev.llmplan.catalog.CatalogLoader.builtin().model(o.get("draft").asText());
        WeightFormat f = o.has("draftQuant") ? WeightFormat.parse(o.get("draftQuant").asText(), null)
                : WeightFormat.defaultFor(m, Mode.INFERENCE, null);
        return new dev.llmplan.engine.Draft(m, f, null);
    }

    static CaseOptions parse(ModelSpec model, JsonNode o) {
        List<String> ignored = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (RECORDED_KEYS.contains(key) || key.equals(TRAINER_KEY) && trainer(o) == null) {
                ignored.add(key);
            } else if (!ENGINE_KEYS.contains(key) && !key.equals(MEASURE_KEY) && !key.equals(TRAINER_KEY)) {
                throw new IllegalArgumentException("unknown option '" + key + "'");
            }
        }
        String quant = text(o, "quant", "bf16".equals(model.nativePrecision()) ? "bf16" : "fp16");
        Mode mode = Mode.parse(text(o, "mode", "inference"));
        Integer context = o.has("context") ? o.get("context").asInt() : null;
        int batch = o.has("batch") ? o.get("batch").asInt() : 1;
        KvFormat kv = o.has("kvCache") ? KvFormat.parse(o.get("kvCache").asText()) : null;
        Runtime runtime = null;
        String runtimeLabel = null;
        if (o.has("runtime")) {
            runtimeLabel = o.get("runtime").asText();
            runtime = runtime(runtimeLabel, ignored);
        }
        Boolean flash = o.has("flashAttention") ? "on".equals(o.get("flashAttention").asText()) : null;
        int gpus = o.has("gpus") ? o.get("gpus").asInt() : 1;
        TrainingOptions t = new TrainingOptions(
                o.has("precision") ? TrainingOptions.Precision.parse(o.get("precision").asText()) : null,
                o.has("optimizer") ? TrainingOptions.Optimizer.parse(o.get("optimizer").asText()) : null,
                o.has("gradCheckpointing") ? TrainingOptions.Checkpointing.parse(o.get("gradCheckpointing").asText()) : null,
                o.has("loraRank") ? o.get("loraRank").asInt() : null,
                o.has("loraTargets") ? List.of(o.get("loraTargets").asText().split(",")) : null,
                o.has("zero") ? ValueParsers.zeroStage(o.get("zero").asText()) : null,
                o.has("offload") ? TrainingOptions.Offload.parse(o.get("offload").asText()) : null,
                null, null,
                o.has("virtualTokens") ? o.get("virtualTokens").asInt() : null,
                o.has("loraDropout") ? o.get("loraDropout").asDouble() : null,
                o.has("fsdpWrap") ? TrainingOptions.FsdpWrap.parse(o.get("fsdpWrap").asText()) : null,
                o.has("gradAccumulation") ? o.get("gradAccumulation").asInt() : null,
                trainer(o));
        Serving serving = new Serving(o.has("prompt") ? o.get("prompt").asInt() : null,
                o.has("maxNumSeqs") ? o.get("maxNumSeqs").asInt() : null,
                o.has("maxNumBatchedTokens") ? o.get("maxNumBatchedTokens").asInt() : null,
                o.has("gpuMemoryUtilization") ? o.get("gpuMemoryUtilization").asDouble() : null,
                o.has("enforceEager") && o.get("enforceEager").asBoolean(),
                o.has("cpuMoe") && o.get("cpuMoe").asBoolean() ? Integer.valueOf(Serving.ALL_LAYERS)
                        : o.has("nCpuMoe") ? Integer.valueOf(o.get("nCpuMoe").asInt()) : null,
                draft(o), null, null);
        Workload w = new Workload(mode, WeightFormat.parse(quant, null), context, batch, kv, runtime, flash, gpus, t, serving);
        String label = runtimeLabel != null ? runtimeLabel : w.effectiveRuntime().id();
        return new CaseOptions(w, label, text(o, MEASURE_KEY, ""), text(o, "trainer", ""),
                o.has("prompt") ? o.get("prompt").asInt() : null, List.copyOf(ignored),
                o.has("gpuLayers") ? o.get("gpuLayers").asInt() : null,
                o.has("ramBandwidth") ? o.get("ramBandwidth").asDouble() : null);
    }

    /**
     * A runtime with a version ({@code transformers@4.38}) goes to the engine whole; while the
     * engine knows no versions, the name alone is used and "runtime@version" is listed as ignored.
     */
    private static Runtime runtime(String text, List<String> ignored) {
        try {
            return Runtime.parse(text);
        } catch (LlmplanException e) {
            int at = text.indexOf('@');
            if (at < 0) {
                throw e;
            }
            ignored.add("runtime@version");
            return Runtime.parse(text.substring(0, at));
        }
    }

    /** The trainer the engine models (litgpt, trl); other labels are recorded (null). */
    private static TrainingOptions.Trainer trainer(JsonNode o) {
        return switch (text(o, TRAINER_KEY, "")) {
            case "litgpt" -> TrainingOptions.Trainer.LITGPT;
            case "trl" -> TrainingOptions.Trainer.TRL;
            case "answerai-fsdp" -> TrainingOptions.Trainer.ANSWERAI_FSDP;
            default -> null;
        };
    }

    /** ZeRO stage 0-3; {@code fsdp} (FULL_SHARD) shards like stage 3, as the request layer reads it. */
    private static String text(JsonNode o, String key, String fallback) {
        return o != null && o.has(key) ? o.get(key).asText() : fallback;
    }
}
