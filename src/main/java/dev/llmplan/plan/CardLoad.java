package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.GpuSpec;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One card's share of a plan: what it can hold, what it is asked to hold component by component,
 * and the high end of that under the error band. {@code share} is the fraction of the split parts
 * (weights, KV cache) it holds; {@code layers} the whole layers it holds under a layer split (null
 * otherwise).
 */
public record CardLoad(int index, GpuSpec gpu, Bytes capacity, Map<Component, Long> parts, long high, Verdict verdict,
                       double share, Integer layers) {
    public CardLoad {
        EnumMap<Component, Long> copy = new EnumMap<>(Component.class);
        copy.putAll(parts);
        parts = Collections.unmodifiableMap(copy);
    }

    /** Everything on the card: the sum of its parts. */
    public Bytes used() {
        long sum = 0;
        for (long b : parts.values()) {
            sum = Math.addExact(sum, b);
        }
        return Bytes.of(sum);
    }

    /** Free memory after the plan; negative when it does not fit. */
    public long freeBytes() {
        return capacity.value() - used().value();
    }

    public double headroomFraction() {
        return capacity.value() == 0 ? 0 : freeBytes() / (double) capacity.value();
    }
}
