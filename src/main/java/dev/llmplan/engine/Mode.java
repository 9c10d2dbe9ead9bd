package dev.llmplan.engine;

import java.util.Locale;

/** What the GPU is asked to do with the model. */
public enum Mode {
    LOAD("load", "weights only"),
    INFERENCE("inference", "generation: weights, KV cache, activations"),
    TRAIN("train", "full fine-tune or pre-training"),
    LORA("lora", "LoRA adapters on a frozen 16-bit base"),
    QLORA("qlora", "LoRA on a 4-bit NF4 base"),
    ADALORA("adalora", "AdaLoRA: LoRA with adaptive ranks"),
    PREFIX("prefix", "prefix tuning: trainable key/value prefixes"),
    PROMPT("prompt", "prompt tuning: trainable soft-prompt embeddings"),
    P_TUNING("p-tuning", "P-tuning: soft prompts from a small encoder"),
    RLHF("rlhf", "PPO RLHF: actor and critic trained, reference and reward frozen");

    private final String id;
    private final String description;

    Mode(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public boolean isTraining() {
        return this != LOAD && this != INFERENCE;
    }

    /** PEFT modes train a small set of extra parameters on a frozen base. */
    public boolean isPeft() {
        return this == LORA || this == QLORA || this == ADALORA || this == PREFIX || this == PROMPT
                || this == P_TUNING;
    }

    /** The modes that train LoRA adapters on linear layers (lora, qlora, adalora), which {loraTargets} chooses. */
    public boolean hasLoraAdapters() {
        return this == LORA || this == QLORA || this == ADALORA;
    }

    public static Mode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (t.equals("ptuning")) {
            t = "p-tuning";
        }
        if (t.equals("full") || t.equals("full-finetune") || t.equals("finetune")) {
            t = "train";
        }
        return Ids.parse(values(), Mode::id, t, text, "mode", "one of " + ids());
    }

    public static String ids() {
        return Ids.list(values(), Mode::id);
    }
}
