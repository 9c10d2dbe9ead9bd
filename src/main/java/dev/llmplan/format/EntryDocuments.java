package dev.llmplan.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Price;
import dev.llmplan.engine.SystemSpec;

import java.util.List;
import java.util.Map;

/** Catalog entries as typed documents, with the catalog's own key names. */
public final class EntryDocuments {
    private EntryDocuments() {
    }

    /** A model as the models list shows it (unknown fields are null). */
    public record ModelSummary(String id, String name, List<String> aliases, String family, String developer,
                               String released, String license, String weights, String type, Long parameters,
                               Long activeParameters, String hfRepo, String nativePrecision, Integer maxContext,
                               String source) {
        public static ModelSummary of(ModelSpec m) {
            return new ModelSummary(m.id(), m.name(), m.aliases(), m.family(), m.developer(), m.released(), m.license(),
                    m.openWeights() ? "open" : "closed", m.type() == null ? null : m.type().id(),
                    m.parameters(), m.activeParameters(), m.hfRepo(), m.nativePrecision(),
                    m.maxContext(), m.source());
        }
    }

    /** A model entry as the catalog holds it; unknown fields are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelEntry(String id, String name, List<String> aliases, String family, String developer,
                             String released, String license, String weights, String type, Long parameters,
                             Long activeParameters, String hfRepo, String nativePrecision, Integer maxContext,
                             String source, String surveyLabel, String notes, Map<String, Object> architecture,
                             List<String> familyAliases, Map<String, Object> visionEncoder) {
        static ModelEntry of(ModelSpec m) {
            ModelSummary s = ModelSummary.of(m);
            return new ModelEntry(s.id(), s.name(), s.aliases(), s.family(), s.developer(), s.released(), s.license(),
                    s.weights(), s.type(), s.parameters(), s.activeParameters(), s.hfRepo(), s.nativePrecision(),
                    s.maxContext(), s.source(), m.surveyLabel(), m.notes(), Docs.fields(m.arch()),
                    m.familyAliases().isEmpty() ? null : m.familyAliases(),
                    m.visionEncoder() == null ? null : Docs.fields(m.visionEncoder()));
        }
    }

    /** A GPU entry; figures the catalog does not know are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GpuEntry(String id, String name, List<String> aliases, String vendor, String category,
                           String architecture, double memoryGiB, Double usableMemoryGiB, String memoryType,
                           Double bandwidthGBps, Double fp16Tflops, Double fp8Tflops, Double int8Tops, Double fp4Tflops,
                           Integer tdpW, String interconnect, Double nvlinkGBps, String formFactor, Integer launchYear,
                           Double priceUsd, String priceKind, String priceSource, Double priceJpy, String priceJpyNote,
                           Double hourlyUsd, String hourlySource, String source, String notes, Integer devicesPerCard) {
        static GpuEntry of(GpuSpec g) {
            Price p = g.price();
            return new GpuEntry(g.id(), g.name(), g.aliases(), g.vendor(), g.category(), g.architecture(), g.memoryGiB(),
                    g.usableMemoryGiB(), g.memoryType(), g.bandwidthGBps() == 0 ? null : g.bandwidthGBps(),
                    g.fp16Tflops() == 0 ? null : g.fp16Tflops(), g.fp8Tflops(), g.int8Tops(), g.fp4Tflops(), g.tdpW(),
                    g.interconnect(), g.nvlinkGBps(), g.formFactor(), g.launchYear(), p.usd(), p.kind(), p.source(),
                    p.jpy(), p.jpyNote(), p.hourlyUsd(), p.hourlySource(), g.source(), g.notes(),
                    g.devicesPerCard() == 1 ? null : g.devicesPerCard());
        }
    }

    /** A system entry (a GPU times a count). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SystemEntry(String id, String name, List<String> aliases, String vendor, String gpu, int count,
                              Integer launchYear, Double priceUsd, String priceKind, String priceSource, Double priceJpy,
                              String priceJpyNote, Double hourlyUsd, String hourlySource, String source, String notes) {
        static SystemEntry of(SystemSpec s) {
            Price p = s.price();
            return new SystemEntry(s.id(), s.name(), s.aliases(), s.vendor(), s.gpu().id(), s.count(), s.launchYear(),
                    p.usd(), p.kind(), p.source(), p.jpy(), p.jpyNote(), p.hourlyUsd(), p.hourlySource(), s.source(),
                    s.notes());
        }
    }
}
