package dev.llmplan.engine;

/** The parts of a memory estimate; {@link #key()} is the JSON field name (a stable contract). */
public enum Component {
    WEIGHTS("weights", "weights"),
    KV_CACHE("kvCache", "KV cache"),
    ACTIVATIONS("activations", "activations"),
    OVERHEAD("overhead", "runtime overhead"),
    GRADIENTS("gradients", "gradients"),
    OPTIMIZER("optimizer", "optimizer states"),
    ADAPTERS("adapters", "adapters"),
    DRAFT("draft", "draft model"),
    VISION_ENCODER("visionEncoder", "vision encoder");

    private final String key;
    private final String label;

    Component(String key, String label) {
        this.key = key;
        this.label = label;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }
}
