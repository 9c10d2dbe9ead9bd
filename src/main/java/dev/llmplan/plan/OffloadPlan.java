package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;

/**
 * Layers kept in host RAM because the GPUs cannot hold them all (llama.cpp {@code -ngl N} keeps
 * the first N layers on the GPU; FlexGen streams the rest from RAM). {@code hostBytes} is what
 * RAM holds for them (their weights and KV cache), plus anything the runtime keeps there anyway.
 */
public record OffloadPlan(int gpuLayers, int totalLayers, Bytes offloadedBytes, Bytes hostBytes, Bytes hostRam,
                          boolean fitsInRam) {
    public int hostLayers() {
        return totalLayers - gpuLayers;
    }
}
