package dev.llmplan.planfile;

/**
 * What an entry must satisfy besides fitting at its own context. Null means "not required".
 * {@code minContext} is in tokens; {@code minDecodeTokensPerSecond} is per sequence.
 */
public record Requirements(Double minHeadroomPercent, Integer maxGpus, Integer minContext, Double maxCostUsd,
                           Double minDecodeTokensPerSecond) {
    public static final Requirements NONE = new Requirements(null, null, null, null, null);
}
