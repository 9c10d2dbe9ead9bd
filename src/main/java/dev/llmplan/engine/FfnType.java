package dev.llmplan.engine;

import java.util.Locale;

/** Feed-forward block: gated variants (SwiGLU, GeGLU) have three matrices, plain ones two. */
public enum FfnType {
    SWIGLU(true), GEGLU(true), GELU(false), RELU(false), SILU(false);

    private final boolean gated;

    FfnType(boolean gated) {
        this.gated = gated;
    }

    public int matrices() {
        return gated ? 3 : 2;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FfnType fromId(String id) {
        for (FfnType t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        return null;
    }
}
