package dev.llmplan.engine;

import java.util.Locale;

/** How a model's layers are arranged; decides which caches and activations exist. */
public enum ModelType {
    DECODER, ENCODER, ENCODER_DECODER, RECURRENT;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ModelType fromId(String id) {
        for (ModelType t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        return null;
    }
}
