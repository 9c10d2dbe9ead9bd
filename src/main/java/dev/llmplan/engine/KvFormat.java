package dev.llmplan.engine;

import java.util.Locale;

/**
 * Precision of the KV cache. Block formats carry their scales: ggml q8_0 stores 32 values and
 * one fp16 scale in 34 bytes (8.5 bits), q4_0 32 values in 18 bytes (4.5 bits) (ggml type_traits).
 */
public enum KvFormat {
    FP32("fp32", 32),
    FP16("fp16", 16),
    BF16("bf16", 16),
    FP8("fp8", 8),
    Q8_0("q8_0", 8.5),
    Q5_1("q5_1", 6.0),
    Q5_0("q5_0", 5.5),
    Q4_1("q4_1", 5.0),
    Q4_0("q4_0", 4.5),
    IQ4_NL("iq4_nl", 4.5);

    private final String id;
    private final double bits;

    KvFormat(String id, double bits) {
        this.id = id;
        this.bits = bits;
    }

    public String id() {
        return id;
    }

    public double bits() {
        return bits;
    }

    /** Whether {@code runtime} stores its cache in this format (the runtime's profile decides). */
    public boolean supportedBy(Runtime runtime) {
        return runtime.supportsKv(this);
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
