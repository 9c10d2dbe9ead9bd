package dev.llmplan.engine;

import java.util.Locale;
import java.util.Set;

/**
 * Precision of the KV cache. Block formats carry their scales: ggml q8_0 stores 32 values and
 * one fp16 scale in 34 bytes (8.5 bits), q4_0 32 values in 18 bytes (4.5 bits) (ggml type_traits).
 */
public enum KvFormat {
    FP32("fp32", 32, Set.of(Runtime.TRANSFORMERS, Runtime.LLAMA_CPP, Runtime.GENERIC)),
    FP16("fp16", 16, Set.of(Runtime.values())),
    BF16("bf16", 16, Set.of(Runtime.values())),
    FP8("fp8", 8, Set.of(Runtime.VLLM, Runtime.GENERIC)),
    Q8_0("q8_0", 8.5, Set.of(Runtime.LLAMA_CPP, Runtime.GENERIC)),
    Q5_1("q5_1", 6.0, Set.of(Runtime.LLAMA_CPP, Runtime.GENERIC)),
    Q5_0("q5_0", 5.5, Set.of(Runtime.LLAMA_CPP, Runtime.GENERIC)),
    Q4_1("q4_1", 5.0, Set.of(Runtime.LLAMA_CPP, Runtime.GENERIC)),
    Q4_0("q4_0", 4.5, Set.of(Runtime.LLAMA_CPP, Runtime.GENERIC)),
    IQ4_NL("iq4_nl", 4.5, Set.of(Runtime.LLAMA_CPP, Runtime.GENERIC));

    private final String id;
    private final double bits;
    private final Set<Runtime> runtimes;

    KvFormat(String id, double bits, Set<Runtime> runtimes) {
        this.id = id;
        this.bits = bits;
        this.runtimes = runtimes;
    }

    public String id() {
        return id;
    }

    public double bits() {
        return bits;
    }

    public boolean supportedBy(Runtime runtime) {
        return runtimes.contains(runtime);
    }

    public static KvFormat parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (t) {
            case "f16", "float16", "half" -> t = "fp16";
            case "f32", "float32" -> t = "fp32";
            case "fp8_e4m3", "fp8_e5m2", "fp8e4m3", "fp8e5m2" -> t = "fp8";
            case "int8", "8bit" -> t = "q8_0";
            case "int4", "4bit" -> t = "q4_0";
            default -> { }
        }
        return Ids.parse(values(), KvFormat::id, t, text, "KV-cache format", "one of " + ids());
    }

    public static String ids() {
        return Ids.list(values(), KvFormat::id);
    }
}
