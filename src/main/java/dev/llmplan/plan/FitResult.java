package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.ErrorBand;
import dev.llmplan.engine.Estimate;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An estimate placed on concrete hardware: per-card loads component by component, what stays in
 * host memory, the overall verdict and the error band it was judged with. {@code kind} is the
 * strategy used; {@code blocker} says why the strategy cannot run at all (tensor-parallel heads that
 * do not divide), {@code offload} the layers kept in host RAM; {@code warnings} are about this
 * hardware (precision the cards lack, and the like).
 */
public record FitResult(Estimate estimate, HardwareSpec hardware, List<CardLoad> cards, Verdict verdict, String strategy,
                        Strategy kind, String blocker, OffloadPlan offload, List<String> notes, ErrorBand band,
                        Map<Component, Long> hostParts, List<String> warnings) {
    public FitResult {
        cards = List.copyOf(cards);
        notes = notes == null ? List.of() : List.copyOf(notes);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        EnumMap<Component, Long> host = new EnumMap<>(Component.class);
        if (hostParts != null) {
            host.putAll(hostParts);
        }
        hostParts = Collections.unmodifiableMap(host);
        band = band == null ? ErrorBand.NONE : band;
    }

    // Loops rather than streams: these run for every candidate placed at start-up (README "Start-up").
    public double minHeadroomFraction() {
        double min = 0;
        for (int i = 0; i < cards.size(); i++) {
            double h = cards.get(i).headroomFraction();
            min = i == 0 ? h : Math.min(min, h);
        }
        return min;
    }

    /** The busiest card's use. */
    public long maxUsedBytes() {
        long max = 0;
        for (int i = 0; i < cards.size(); i++) {
            long used = cards.get(i).used().value();
            max = i == 0 ? used : Math.max(max, used);
        }
        return max;
    }

    /** GPU memory over all cards, by component: exactly the sum of the cards. */
    public Map<Component, Long> components() {
        Map<Component, Long> sum = new EnumMap<>(Component.class);
        for (CardLoad c : cards) {
            c.parts().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }

    /** GPU memory over all cards. */
    public long totalBytes() {
        return cards.stream().mapToLong(c -> c.used().value()).sum();
    }

    /** Everything held in host memory: offloaded layers and what the runtime keeps there. */
    public long hostBytes() {
        return hostParts.values().stream().mapToLong(Long::longValue).sum();
    }

    public Bytes host() {
        return Bytes.of(hostBytes());
    }

    /** Sequences decoded at once: the batch on each replica. Decode tokens/s are totals over these. */
    public int sequences() {
        return estimate.workload().batch() * replicas();
    }

    /** Replicas serving independently (data-parallel inference); 1 otherwise. */
    public int replicas() {
        return kind == Strategy.DATA && !estimate.workload().mode().isTraining() ? cards.size() : 1;
    }
}
