package dev.llmplan.format;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.ErrorBand;
import dev.llmplan.engine.Estimate;
import dev.llmplan.plan.FitResult;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory a result reports, computed once for its table and its document alike: on given hardware
 * the placement's own numbers (the cards' parts, the busiest card, what stays in host memory), else
 * the estimate on one GPU.
 */
record MemoryView(Map<Component, Long> components, long total, long perGpu, long host, ErrorBand band, long exact) {
    static MemoryView of(Estimate e, FitResult placed, ErrorBand band) {
        if (placed != null) {
            return new MemoryView(placed.components(), placed.totalBytes(), placed.maxUsedBytes(), placed.hostBytes(),
                    placed.band(), e.runtime().exactBytes(placed.components()));
        }
        Map<Component, Long> parts = new EnumMap<>(Component.class);
        e.components().forEach((c, b) -> parts.put(c, b.value()));
        return new MemoryView(parts, e.total().value(), e.perGpuEven().value(), e.hostTotal().value(), band,
                e.runtime().exactBytes(parts));
    }

    long component(Component c) {
        return components.getOrDefault(c, 0L);
    }

    long low() {
        return band.lowOf(total, exact);
    }

    long high() {
        return band.highOf(total, exact);
    }

    Bytes totalBytes() {
        return Bytes.of(total);
    }

    /** The JSON form of the band: low and high bytes around the total, and what they rest on. */
    record Band(long lowBytes, long highBytes, int cases, String basis) {
    }

    Band bandDoc() {
        return new Band(low(), high(), band.cases(), band.basis());
    }

    /** The JSON "memory" object of fit and check: components by key, the busiest card, host memory, the band. */
    record Doc(long totalBytes, Map<String, Long> components, long perGpuBytes, long hostBytes, Band errorBand) {
    }

    Doc document() {
        Map<String, Long> byKey = new LinkedHashMap<>();
        components.forEach((c, b) -> byKey.put(c.key(), b));
        return new Doc(total, byKey, perGpu, host, bandDoc());
    }

    /** The band of a placed result around its total, for rows that show no other memory figures. */
    static Band bandOf(FitResult placed) {
        return of(placed.estimate(), placed, null).bandDoc();
    }
}
