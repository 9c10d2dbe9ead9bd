package dev.llmplan.engine;

/**
 * The version of a runtime a profile describes. Only the current release is modelled today; a
 * profile whose allocation changed between releases (transformers' fp32 logits before 4.45, vLLM's
 * profiler, llama.cpp's compute buffers) will read its version here.
 */
public record RuntimeVersion(String text) {
    /** The release the profiles' constants and sources describe. */
    public static final RuntimeVersion CURRENT = new RuntimeVersion("current");

    public RuntimeVersion {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty runtime version");
        }
    }

    public boolean isCurrent() {
        return this.equals(CURRENT);
    }
}
