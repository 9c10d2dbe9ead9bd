package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;

/** A row of the context ladder: per-GPU memory at one context length, and its verdict (null without hardware). */
public record ContextRung(int context, Bytes perGpu, Verdict verdict) {
}
