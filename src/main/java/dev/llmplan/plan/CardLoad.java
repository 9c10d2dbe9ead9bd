package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.GpuSpec;

/**
 * One card's share of a plan: what it can hold and what it is asked to hold. {@code share} is the
 * fraction of the split parts (weights, KV cache) it holds; {@code layers} the whole layers it
 * holds under a layer split (null otherwise).
 */
public record CardLoad(int index, GpuSpec gpu, Bytes capacity, Bytes used, Verdict verdict, double share,
                       Integer layers) {
    /** Free memory after the plan; negative when it does not fit. */
    public long freeBytes() {
        return capacity.value() - used.value();
    }

    public double headroomFraction() {
        return capacity.value() == 0 ? 0 : freeBytes() / (double) capacity.value();
    }
}
