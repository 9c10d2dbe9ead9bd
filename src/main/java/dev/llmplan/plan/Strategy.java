package dev.llmplan.plan;

import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Printable;

import java.util.Locale;

/** How a workload is spread over several GPUs ({@code --parallel}). */
public enum Strategy {
    /** One card holds everything. */
    SINGLE("single"),
    /** Tensor parallel: every layer's heads are split; needs heads and KV heads divisible by the degree. */
    TENSOR("tp"),
    /** Pipeline / layer split: whole layers per card, in proportion to free memory (llama.cpp, device_map="auto"). */
    LAYERS("pp"),
    /** Data parallel: replicas for inference; ZeRO sharding (as the workload sets it) for training. */
    DATA("dp");

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Strategy parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "tp", "tensor", "tensor-parallel" -> TENSOR;
            case "pp", "layers", "layer", "pipeline" -> LAYERS;
            case "dp", "data", "data-parallel", "zero" -> DATA;
            case "single", "none" -> SINGLE;
            default -> throw LlmplanException.invalid("{parallel} expects tp, pp, layers or dp, got '" + Printable.of(text) + "'");
        };
    }
}
