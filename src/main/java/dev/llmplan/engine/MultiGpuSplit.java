package dev.llmplan.engine;

/** How a runtime spreads one inference replica over several GPUs by itself. */
public enum MultiGpuSplit {
    /** Whole layers per card, in proportion to free memory (llama.cpp --tensor-split, device_map="auto"). */
    LAYERS,
    /** Tensor parallel where heads divide by the degree, else a layer split. */
    TENSOR
}
