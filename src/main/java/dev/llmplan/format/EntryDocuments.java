package dev.llmplan.format;

import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Price;
import dev.llmplan.engine.SystemSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/** Catalog entries as documents, with the catalog's own key names; null fields are left out. */
public final class EntryDocuments {
    private EntryDocuments() {
    }

    public static Map<String, Object> model(ModelSpec m) {
        Map<String, Object> d = new LinkedHashMap<>(modelSummary(m));
        d.put("surveyLabel", m.surveyLabel());
        d.put("notes", m.notes());
        d.put("architecture", architecture(m.arch()));
        d.values().removeIf(v -> v == null);
        return d;
    }

    public static Map<String, Object> architecture(Architecture a) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("layers", a.layers());
        d.put("encoderLayers", a.encoderLayers());
        d.put("decoderLayers", a.decoderLayers());
        d.put("hidden", a.hidden());
        d.put("heads", a.heads());
        d.put("kvHeads", a.kvHeads());
        d.put("headDim", a.headDim());
        d.put("ffn", a.ffn());
        d.put("ffnType", a.ffnType() == null ? null : a.ffnType().id());
        d.put("vocab", a.vocab());
        d.put("maxContext", a.maxContext());
        d.put("tiedEmbeddings", a.tiedEmbeddings());
        d.put("attention", a.attention() == null ? null : a.attention().id());
        d.put("positionEmbedding", a.positionEmbedding());
        d.put("slidingWindow", a.slidingWindow());
        d.put("fullAttentionEvery", a.fullAttentionEvery());
        d.put("experts", a.experts());
        d.put("expertsPerToken", a.expertsPerToken());
        d.put("sharedExperts", a.sharedExperts());
        d.put("expertFfn", a.expertFfn());
        d.put("denseLayers", a.denseLayers());
        d.put("kvLoraRank", a.kvLoraRank());
        d.put("qLoraRank", a.qLoraRank());
        d.put("ropeHeadDim", a.ropeHeadDim());
        d.put("vHeadDim", a.vHeadDim());
        d.put("sharedLayers", a.sharedLayers());
        d.put("embeddingDim", a.embeddingDim());
        d.values().removeIf(v -> v == null);
        return d;
    }

    public static Map<String, Object> gpu(GpuSpec g) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", g.id());
        d.put("name", g.name());
        d.put("aliases", g.aliases());
        d.put("vendor", g.vendor());
        d.put("category", g.category());
        d.put("architecture", g.architecture());
        d.put("memoryGiB", g.memoryGiB());
        d.put("usableMemoryGiB", g.usableMemoryGiB());
        d.put("memoryType", g.memoryType());
        d.put("bandwidthGBps", g.bandwidthGBps() == 0 ? null : g.bandwidthGBps());
        d.put("fp16Tflops", g.fp16Tflops() == 0 ? null : g.fp16Tflops());
        d.put("fp8Tflops", g.fp8Tflops());
        d.put("int8Tops", g.int8Tops());
        d.put("fp4Tflops", g.fp4Tflops());
        d.put("tdpW", g.tdpW());
        d.put("interconnect", g.interconnect());
        d.put("nvlinkGBps", g.nvlinkGBps());
        d.put("formFactor", g.formFactor());
        d.put("launchYear", g.launchYear());
        price(d, g.price());
        d.put("source", g.source());
        d.put("notes", g.notes());
        d.values().removeIf(v -> v == null);
        return d;
    }

    public static Map<String, Object> system(SystemSpec s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", s.id());
        d.put("name", s.name());
        d.put("aliases", s.aliases());
        d.put("vendor", s.vendor());
        d.put("gpu", s.gpu().id());
        d.put("count", s.count());
        d.put("launchYear", s.launchYear());
        price(d, s.price());
        d.put("source", s.source());
        d.put("notes", s.notes());
        d.values().removeIf(v -> v == null);
        return d;
    }

    private static void price(Map<String, Object> d, Price p) {
        d.put("priceUsd", p.usd());
        d.put("priceKind", p.kind());
        d.put("priceSource", p.source());
        d.put("priceJpy", p.jpy());
        d.put("priceJpyNote", p.jpyNote());
        d.put("hourlyUsd", p.hourlyUsd());
        d.put("hourlySource", p.hourlySource());
    }

    /** A model as the models list shows it. */
    public static Map<String, Object> modelSummary(ModelSpec m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", m.id());
        d.put("name", m.name());
        d.put("aliases", m.aliases());
        d.put("family", m.family());
        d.put("developer", m.developer());
        d.put("released", m.released());
        d.put("license", m.license());
        d.put("weights", m.openWeights() ? "open" : "closed");
        d.put("type", m.type() == null ? null : m.type().id());
        d.put("parameters", m.parameters());
        d.put("activeParameters", m.activeParameters());
        d.put("hfRepo", m.hfRepo());
        d.put("nativePrecision", m.nativePrecision());
        d.put("maxContext", m.maxContext());
        d.put("source", m.source());
        return d;
    }
}
