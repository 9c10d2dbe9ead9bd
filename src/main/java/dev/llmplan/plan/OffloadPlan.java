package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;

/**
 * Layers kept in host RAM because the GPUs cannot hold them all, or because the user asked for
 * fewer on the GPUs (llama.cpp {@code -ngl N} keeps N layers on the GPUs; the rest, with their KV
 * cache, stay in host memory). {@code offloadedBytes} is what those layers hold; the plan's host
 * total adds what the runtime keeps there anyway. {@code hostRam} is null when no RAM size was given.
 */
public record OffloadPlan(int gpuLayers, int totalLayers, Bytes offloadedBytes, Bytes hostRam) {
    public int hostLayers() {
        return totalLayers - gpuLayers;
    }
}
