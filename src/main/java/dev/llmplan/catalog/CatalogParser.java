package dev.llmplan.catalog;

import dev.llmplan.yaml.Problem;

import dev.llmplan.yaml.YamlNode;

import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.AttentionKind;
import dev.llmplan.engine.FfnType;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.ModelType;
import dev.llmplan.engine.Price;
import dev.llmplan.engine.VisionEncoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns one catalog file's YAML tree into specs, collecting every problem with its line. Cross-entry
 * checks (duplicates, GPU references) happen in {@link CatalogLoader} once all files are read.
 */
final class CatalogParser {
    static final Set<String> MODEL_TYPES = Set.of("decoder", "encoder", "encoder-decoder", "recurrent");
    static final Set<String> WEIGHTS = Set.of("open", "closed");
    /** "apple" and "embedded" (Jetson) are systems on chip whose GPU shares the host's unified memory. */
    static final Set<String> CATEGORIES = Set.of("consumer", "workstation", "datacenter", "apple", "embedded");
    static final Set<String> POSITIONS = Set.of("rope", "learned", "alibi", "relative", "none", "sinusoidal");

    // Plausible ranges of the numeric fields, checked at load (README "Catalog" lists them): far beyond any
    // real model or GPU (in brackets the built-in catalog's largest), small enough that nothing sized from
    // them can exhaust memory or overflow.
    /** Transformer blocks [126, llama-3.1-405b]. */
    static final int MAX_LAYERS = 10_000;
    /** hidden, ffn, expertFfn, embeddingDim and the MLA ranks [ffn 73,728, palm-540b]. */
    static final int MAX_WIDTH = 1_000_000;
    /** Attention and KV heads [232, falcon-180b]. */
    static final int MAX_HEADS = 10_000;
    /** Per-head dims [256, ul2-20b]. */
    static final int MAX_HEAD_DIM = 100_000;
    /** Vocabulary [262,208, gemma-3-4b]. */
    static final int MAX_VOCAB = 100_000_000;
    /** Context and sliding window in tokens [10,485,760, llama-4-scout-17b-16e]. */
    static final int MAX_CONTEXT = 1_000_000_000;
    /** Routed and shared experts, and experts per token [256, deepseek-r1]. */
    static final int MAX_EXPERTS = 100_000;
    /** Devices software sees on one card [2, MI250X: two GCDs]. */
    static final int MAX_DEVICES_PER_CARD = 16;
    /** Pixels on an image side a vision encoder is fed [896, Gemma 3]. */
    static final int MAX_IMAGE_SIZE = 100_000;
    /** GPUs in one system [8, the DGX systems; a GB200 NVL72 rack has 72]. */
    static final int MAX_SYSTEM_GPUS = 1024;
    /** Memory per GPU in GiB [256, mi325x]. */
    static final double MAX_MEMORY_GIB = 100_000;
    /** Bandwidth and link speeds in GB/s, and dense TFLOPS/TOPS [9,000 FP4 TFLOPS, b200]. */
    static final double MAX_RATE = 1_000_000;
    /** Board power in watts [1,000, b200]. */
    static final int MAX_TDP_W = 100_000;
    /** Prices: a whole system in USD and yen, and USD per GPU-hour [$199,000, dgx-a100-320gb]. */
    static final double MAX_PRICE_USD = 1e10;
    static final double MAX_PRICE_JPY = 1e12;
    static final double MAX_HOURLY_USD = 1e6;
    static final int MIN_YEAR = 1990;
    static final int MAX_YEAR = 2100;

    /** A system before its GPU id is resolved against all loaded GPUs. */
    record RawSystem(String id, String name, List<String> aliases, String vendor, String gpuId, int count,
                     Integer launchYear, Price price, String source, String notes, int line, String file) {
    }

    record Parsed(List<Located<ModelSpec>> models, List<Located<GpuSpec>> gpus, List<RawSystem> systems) {
    }

    record Located<T>(T value, String file, int line) {
    }

    private final String file;
    private final ModelSpec.Origin origin;
    private final List<Problem> problems;
    private final java.util.Set<String> seenIds = new java.util.HashSet<>();

    CatalogParser(String file, ModelSpec.Origin origin, List<Problem> problems) {
        this.file = file;
        this.origin = origin;
        this.problems = problems;
    }

    Parsed parse(YamlNode root) {
        List<Located<ModelSpec>> models = new ArrayList<>();
        List<Located<GpuSpec>> gpus = new ArrayList<>();
        List<RawSystem> systems = new ArrayList<>();
        if (!(root instanceof YamlNode.Mapping top)) {
            problems.add(new Problem(file, root.line(), null, null,
                    "expected a mapping with models, gpus and systems, got " + YamlNode.typeName(root)));
            return new Parsed(models, gpus, systems);
        }
        Fields f = new Fields(file, null, "", top, problems);
        Integer version = f.integer("schemaVersion", false, 1, Integer.MAX_VALUE);
        if (version != null && version != 1) {
            f.problem("schemaVersion", "unsupported schema version " + version + " (this llmplan reads 1)");
        }
        for (YamlNode.Mapping m : list(f, top, "models")) {
            ModelSpec spec = model(m);
            if (spec != null) {
                models.add(new Located<>(spec, file, m.line()));
            }
        }
        for (YamlNode.Mapping m : list(f, top, "gpus")) {
            GpuSpec spec = gpu(m);
            if (spec != null) {
                gpus.add(new Located<>(spec, file, m.line()));
            }
        }
        for (YamlNode.Mapping m : list(f, top, "systems")) {
            RawSystem s = system(m);
            if (s != null) {
                systems.add(s);
            }
        }
        f.reportUnknown();
        return new Parsed(models, gpus, systems);
    }

    private List<YamlNode.Mapping> list(Fields f, YamlNode.Mapping top, String key) {
        f.strings(key); // marks it read; type checked below
        YamlNode.Entry e = top.map().get(key);
        List<YamlNode.Mapping> out = new ArrayList<>();
        if (e == null || e.value() instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL) {
            return out;
        }
        if (!(e.value() instanceof YamlNode.Sequence seq)) {
            return out;
        }
        problems.removeIf(p -> p.file().equals(file) && p.field() != null && p.field().equals(key)
                && p.message().startsWith("expected a string"));
        for (YamlNode item : seq.items()) {
            if (item instanceof YamlNode.Mapping m) {
                out.add(m);
            } else {
                problems.add(new Problem(file, item.line(), key, null, "expected an entry (a mapping), got "
                        + YamlNode.typeName(item)));
            }
        }
        return out;
    }

    private static String entryName(YamlNode.Mapping m, String kind) {
        YamlNode.Entry id = m.map().get("id");
        if (id != null && id.value() instanceof YamlNode.Scalar s && s.text() != null) {
            return s.text();
        }
        return kind + " at line " + m.line();
    }

    private ModelSpec model(YamlNode.Mapping m) {
        String entry = entryName(m, "model");
        Fields f = new Fields(file, entry, "", m, problems);
        String id = id(f, "model");
        String name = f.string("name", true);
        List<String> aliases = f.strings("aliases");
        String family = f.string("family", true);
        String developer = f.string("developer", true);
        String released = f.string("released", false);
        if (released != null && !released.matches("\\d{4}(-\\d{2}(-\\d{2})?)?")) {
            f.problem("released", "expected YYYY, YYYY-MM or YYYY-MM-DD, got \"" + released + "\"");
        }
        String license = f.string("license", false);
        String weights = oneOf(f, "weights", WEIGHTS, true);
        String type = oneOf(f, "type", MODEL_TYPES, true);
        boolean open = "open".equals(weights);
        Long params = f.paramCount("parameters", open);
        Long active = f.paramCount("activeParameters", false);
        if (params != null && active != null && active > params) {
            f.problem("activeParameters", "active parameters (" + active + ") exceed the total (" + params + ")");
        }
        List<String> familyAliases = f.strings("familyAliases");
        String hfRepo = f.string("hfRepo", false);
        String precision = oneOf(f, "nativePrecision", Set.of("fp32", "fp16", "bf16", "fp8", "mxfp4", "int8", "int4"), false);
        String surveyLabel = f.string("surveyLabel", false);
        String source = f.string("source", true);
        String notes = f.string("notes", false);
        YamlNode.Mapping archNode = f.mapping("architecture");
        Architecture arch = archNode == null ? Architecture.EMPTY : architecture(entry, archNode, ModelType.fromId(type));
        YamlNode.Mapping visionNode = f.mapping("visionEncoder");
        VisionEncoder vision = visionNode == null ? null : visionEncoder(entry, visionNode, params);
        f.reportUnknown();
        if (id == null) {
            return null;
        }
        // An entry with problems is still returned so that cross-entry checks (duplicate aliases)
        // report at once; the loader throws before such a catalog is used.
        return new ModelSpec(id, name, aliases, family, developer, released, license, open, ModelType.fromId(type),
                params, active, hfRepo, precision, surveyLabel, source, notes, arch, origin, null, familyAliases, vision,
                false);
    }

    /** The vision tower and projector a multimodal checkpoint holds; part of the model's total parameters. */
    private VisionEncoder visionEncoder(String entry, YamlNode.Mapping m, Long total) {
        Fields f = new Fields(file, entry, "visionEncoder.", m, problems);
        Long params = f.paramCount("parameters", true);
        Integer tokens = f.integer("imageTokens", false, 1, MAX_CONTEXT);
        Integer size = f.integer("imageSize", false, 1, MAX_IMAGE_SIZE);
        Integer layers = f.integer("layers", false, 1, MAX_LAYERS);
        Integer hidden = f.integer("hidden", false, 1, MAX_IMAGE_SIZE);
        Integer ffn = f.integer("ffn", false, 1, Integer.MAX_VALUE);
        Integer patch = f.integer("patchSize", false, 1, MAX_IMAGE_SIZE);
        Integer tiles = f.integer("tiles", false, 1, 1024);
        Integer cross = f.integer("crossAttentionLayers", false, 1, MAX_LAYERS);
        Integer heads = f.integer("heads", false, 1, MAX_HEADS);
        String source = f.string("source", true);
        String notes = f.string("notes", false);
        f.reportUnknown();
        if (patch != null && size != null && patch > size) {
            f.problem("patchSize", "the patch (" + patch + " px) must not be larger than the image (" + size + " px)");
        }
        if (params != null && total != null && params >= total) {
            f.problem("parameters", "the vision encoder (" + params + ") must be part of the model's total (" + total + ")");
        }
        return params == null ? null : new VisionEncoder(params, tokens, size, source, notes, layers, hidden, ffn, patch, tiles,
                cross, heads);
    }

    private Architecture architecture(String entry, YamlNode.Mapping m, ModelType type) {
        Fields f = new Fields(file, entry, "architecture.", m, problems);
        Architecture.Builder b = Architecture.builder();
        b.layers = f.integer("layers", false, 1, MAX_LAYERS);
        b.encoderLayers = f.integer("encoderLayers", false, 0, MAX_LAYERS);
        b.decoderLayers = f.integer("decoderLayers", false, 0, MAX_LAYERS);
        b.hidden = f.integer("hidden", false, 1, MAX_WIDTH);
        b.heads = f.integer("heads", false, 1, MAX_HEADS);
        b.kvHeads = f.integer("kvHeads", false, 1, MAX_HEADS);
        b.headDim = f.integer("headDim", false, 1, MAX_HEAD_DIM);
        b.ffn = f.integer("ffn", false, 1, MAX_WIDTH);
        String ffnType = oneOf(f, "ffnType", Set.of("swiglu", "geglu", "gelu", "relu", "silu"), false);
        b.ffnType = ffnType == null ? null : FfnType.fromId(ffnType);
        b.vocab = f.integer("vocab", false, 1, MAX_VOCAB);
        b.maxContext = f.integer("maxContext", false, 1, MAX_CONTEXT);
        b.tiedEmbeddings = f.bool("tiedEmbeddings");
        String attention = oneOf(f, "attention", Set.of("mha", "mqa", "gqa", "mla", "none"), false);
        b.attention = attention == null ? null : AttentionKind.fromId(attention);
        b.positionEmbedding = oneOf(f, "positionEmbedding", POSITIONS, false);
        b.slidingWindow = f.integer("slidingWindow", false, 1, MAX_CONTEXT);
        b.fullAttentionEvery = f.integer("fullAttentionEvery", false, 2, MAX_LAYERS);
        b.experts = f.integer("experts", false, 1, MAX_EXPERTS);
        b.expertsPerToken = f.integer("expertsPerToken", false, 1, MAX_EXPERTS);
        b.sharedExperts = f.integer("sharedExperts", false, 0, MAX_EXPERTS);
        b.expertFfn = f.integer("expertFfn", false, 1, MAX_WIDTH);
        b.denseLayers = f.integer("denseLayers", false, 0, MAX_LAYERS);
        b.kvLoraRank = f.integer("kvLoraRank", false, 1, MAX_WIDTH);
        b.qLoraRank = f.integer("qLoraRank", false, 1, MAX_WIDTH);
        b.ropeHeadDim = f.integer("ropeHeadDim", false, 1, MAX_HEAD_DIM);
        b.vHeadDim = f.integer("vHeadDim", false, 1, MAX_HEAD_DIM);
        b.sharedLayers = f.bool("sharedLayers");
        b.embeddingDim = f.integer("embeddingDim", false, 1, MAX_WIDTH);
        b.normsPerLayer = f.integer("normsPerLayer", false, 1, 4);
        b.attentionSoftcap = f.number("attentionSoftcap", false, 0, 1e6);
        b.extendedContext = f.integer("extendedContext", false, 1, MAX_CONTEXT);
        b.attentionLayers = f.integer("attentionLayers", false, 0, MAX_LAYERS);
        f.reportUnknown();
        if (b.attentionLayers != null && (b.layers == null || b.attentionLayers > b.layers)) {
            f.problem("attentionLayers", "must be at most layers (the attention layers of a hybrid model)");
        }
        if (b.extendedContext != null && (b.maxContext == null || b.extendedContext <= b.maxContext)) {
            f.problem("extendedContext", "must be above maxContext (the native length)");
        }
        if (b.heads != null && b.kvHeads != null && b.kvHeads > 0 && b.heads % b.kvHeads != 0) {
            f.problem("kvHeads", "heads (" + b.heads + ") are not divisible by kvHeads (" + b.kvHeads + ")");
        }
        if (b.heads != null && b.kvHeads != null && b.kvHeads > b.heads) {
            f.problem("kvHeads", "kvHeads (" + b.kvHeads + ") exceed heads (" + b.heads + ")");
        }
        if (b.experts != null && b.expertsPerToken != null && b.expertsPerToken > b.experts) {
            f.problem("expertsPerToken", "expertsPerToken (" + b.expertsPerToken + ") exceeds experts (" + b.experts + ")");
        }
        if (b.fullAttentionEvery != null && b.slidingWindow == null) {
            f.problem("fullAttentionEvery", "only meaningful with slidingWindow");
        }
        if (type == ModelType.ENCODER_DECODER && b.hidden != null && b.layers == null && (b.encoderLayers == null || b.decoderLayers == null)) {
            f.problem("encoderLayers", "an encoder-decoder model needs encoderLayers and decoderLayers");
        }
        return b.build();
    }

    private GpuSpec gpu(YamlNode.Mapping m) {
        String entry = entryName(m, "gpu");
        Fields f = new Fields(file, entry, "", m, problems);
        String id = id(f, "GPU");
        String name = f.string("name", true);
        List<String> aliases = f.strings("aliases");
        String vendor = lower(f.string("vendor", true));
        String category = oneOf(f, "category", CATEGORIES, true);
        String architecture = f.string("architecture", false);
        Double memory = f.number("memoryGiB", true, 0, MAX_MEMORY_GIB);
        Double usable = f.number("usableMemoryGiB", false, 0, MAX_MEMORY_GIB);
        if (memory != null && usable != null && usable > memory) {
            f.problem("usableMemoryGiB", "usable memory (" + usable + ") exceeds memoryGiB (" + memory + ")");
        }
        String memoryType = f.string("memoryType", false);
        Double bandwidth = f.number("bandwidthGBps", false, 0, MAX_RATE);
        Double fp16 = f.number("fp16Tflops", false, 0, MAX_RATE);
        Double fp8 = f.number("fp8Tflops", false, 0, MAX_RATE);
        Double int8 = f.number("int8Tops", false, 0, MAX_RATE);
        Double fp4 = f.number("fp4Tflops", false, 0, MAX_RATE);
        Integer tdp = f.integer("tdpW", false, 1, MAX_TDP_W);
        String interconnect = f.string("interconnect", false);
        Double nvlink = f.number("nvlinkGBps", false, 0, MAX_RATE);
        String formFactor = f.string("formFactor", false);
        Integer year = f.integer("launchYear", false, MIN_YEAR, MAX_YEAR);
        Price price = price(f);
        Integer devices = f.integer("devicesPerCard", false, 1, MAX_DEVICES_PER_CARD);
        String source = f.string("source", true);
        String notes = f.string("notes", false);
        f.reportUnknown();
        if (id == null) {
            return null;
        }
        return new GpuSpec(id, name, aliases, vendor, category, architecture, memory == null ? 0 : memory, usable, memoryType,
                bandwidth == null ? 0 : bandwidth, fp16 == null ? 0 : fp16, fp8, int8, fp4, tdp, interconnect, nvlink, formFactor,
                year, price, source, notes, devices == null ? 1 : devices);
    }

    private RawSystem system(YamlNode.Mapping m) {
        String entry = entryName(m, "system");
        Fields f = new Fields(file, entry, "", m, problems);
        String id = id(f, "system");
        String name = f.string("name", true);
        List<String> aliases = f.strings("aliases");
        String vendor = lower(f.string("vendor", true));
        String gpu = f.string("gpu", true);
        Integer count = f.integer("count", true, 1, MAX_SYSTEM_GPUS);
        Integer year = f.integer("launchYear", false, MIN_YEAR, MAX_YEAR);
        Price price = price(f);
        String source = f.string("source", true);
        String notes = f.string("notes", false);
        f.reportUnknown();
        if (id == null) {
            return null;
        }
        return new RawSystem(id, name, aliases, vendor, gpu, count == null ? 0 : count, year, price, source, notes, m.line(), file);
    }

    private static Price price(Fields f) {
        Double usd = f.number("priceUsd", false, 0, MAX_PRICE_USD);
        String kind = f.string("priceKind", false);
        if (kind != null && !Set.of("msrp", "list", "street", "estimate").contains(kind)) {
            f.problem("priceKind", "expected msrp, list, street or estimate, got \"" + kind + "\"");
        }
        String source = f.string("priceSource", false);
        if (usd != null && source == null) {
            f.problem("priceSource", "is required with priceUsd");
        }
        Double jpy = f.number("priceJpy", false, 0, MAX_PRICE_JPY);
        String jpyNote = f.string("priceJpyNote", false);
        Double hourly = f.number("hourlyUsd", false, 0, MAX_HOURLY_USD);
        String hourlySource = f.string("hourlySource", false);
        if (hourly != null && hourlySource == null) {
            f.problem("hourlySource", "is required with hourlyUsd");
        }
        return new Price(usd, kind, source, jpy, jpyNote, hourly, hourlySource);
    }

    /** Reads the id; a repeat within this file (models, GPUs and systems separately) is a problem. */
    private String id(Fields f, String kind) {
        String id = f.string("id", true);
        if (id != null && !id.matches("[a-z0-9][a-z0-9._-]*")) {
            f.problem("id", "ids are lower-case letters, digits, '.', '-' and '_', got \"" + id + "\"");
            return null;
        }
        if (id != null && !seenIds.add(kind + ":" + id)) {
            f.problem("id", "duplicate " + kind + " id '" + id + "' in this file");
        }
        return id;
    }

    private static String oneOf(Fields f, String key, Set<String> allowed, boolean required) {
        String v = f.string(key, required);
        if (v != null && !allowed.contains(v)) {
            f.problem(key, "expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ", got \"" + v + "\"");
            return null;
        }
        return v;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
