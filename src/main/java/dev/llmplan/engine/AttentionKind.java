package dev.llmplan.engine;

import java.util.Locale;

/** Attention variants that change the KV cache: MHA, MQA, GQA (kvHeads decides) and MLA (a latent). */
public enum AttentionKind {
    MHA, MQA, GQA, MLA, NONE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttentionKind fromId(String id) {
        for (AttentionKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return null;
    }
}
