package dev.llmplan.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A weights format with its real storage cost: block scales and zero points included, and the
 * tensors it leaves at higher precision (embeddings, output head, norms). Each entry cites
 * where its bits come from.
 */
public final class WeightFormat {
    /** Families decide the default runtime (each runtime profile says which formats it runs by default). */
    public enum Kind { FLOAT, FP8, MXFP4, BITSANDBYTES, GPTQ, AWQ, EXL2, GGUF }

    /** GPTQ / AWQ default group size (AutoGPTQ and AutoAWQ q_group_size = 128). */
    public static final int DEFAULT_GROUP_SIZE = 128;

    private static final Map<String, WeightFormat> BY_ID = new LinkedHashMap<>();
    private static final Pattern BPW = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*bpw");
    private static final Pattern GROUPED = Pattern.compile("(gptq|awq)-([0-9]{1,2})bit(?:-g([0-9]{1,6}))?");

    private final String id;
    private final Kind kind;
    private final double blockBits;
    private final double embeddingBits;
    private final double headBits;
    private final double normBits;
    private final String description;
    private final String source;
    private final GgufFileType gguf;

    private WeightFormat(String id, Kind kind, double blockBits, double embeddingBits, double headBits,
                         double normBits, String description, String source, GgufFileType gguf) {
        this.id = id;
        this.kind = kind;
        this.blockBits = blockBits;
        this.embeddingBits = embeddingBits;
        this.headBits = headBits;
        this.normBits = normBits;
        this.description = description;
        this.source = source;
        this.gguf = gguf;
    }

    static {
        String ieee = "IEEE 754 / bfloat16 widths";
        floating("fp32", 32, "32-bit float", ieee);
        floating("fp16", 16, "16-bit float", ieee);
        floating("bf16", 16, "bfloat16", ieee);
        add(new WeightFormat("fp8", Kind.FP8, 8, 16, 16, 16,
                "FP8 (E4M3) linear weights with per-tensor scales; embeddings and lm_head stay 16-bit",
                "vLLM FP8 docs (quantization/fp8): lm_head and embeddings are not quantized", null));
        // The fp32 scale per output row adds 32 / in_features bits (0.008 at 4096): below a tenth of a percent.
        add(new WeightFormat("int8", Kind.BITSANDBYTES, 8, 16, 16, 16,
                "bitsandbytes LLM.int8(): int8 linear weights (row scales negligible); lm_head and embeddings 16-bit",
                "Dettmers et al. 2022 (LLM.int8()); transformers BitsAndBytesConfig llm_int8_skip_modules keeps lm_head", null));
        add(new WeightFormat("int4", Kind.BITSANDBYTES, 4 + 32.0 / 64, 16, 16, 16,
                "bitsandbytes 4-bit (FP4, load_in_4bit default): 4 bits + one fp32 absmax per 64 weights",
                "bitsandbytes Linear4bit blocksize 64; QLoRA paper §2 (Dettmers et al. 2023)", null));
        add(new WeightFormat("nf4", Kind.BITSANDBYTES, 4 + 32.0 / 64, 16, 16, 16,
                "bitsandbytes NF4: 4 bits + one fp32 absmax per 64 weights (4.5 bits)",
                "QLoRA paper §2: 32/64 = 0.5 bits per parameter of quantization constants", null));
        add(new WeightFormat("nf4-dq", Kind.BITSANDBYTES, 4 + 8.0 / 64 + 32.0 / (64 * 256), 16, 16, 16,
                "NF4 with double quantisation: absmax in 8 bits per 64, fp32 per 256 of those (4.127 bits)",
                "QLoRA paper §2: 8/64 + 32/(64*256) = 0.127 bits per parameter", null));
        // OCP Microscaling: 32 FP4 (E2M1) values share one 8-bit scale = 4.25 bits. gpt-oss ships its MoE
        // expert weights so and keeps attention, embeddings and router in bf16 (OpenAI gpt-oss model card).
        add(new WeightFormat("mxfp4", Kind.MXFP4, 4.25, 16, 16, 16,
                "MXFP4 checkpoint (gpt-oss): MoE experts in MXFP4 (4.25 bits), other tensors bf16",
                "OCP Microscaling Formats (MX) v1.0; OpenAI gpt-oss model card (MXFP4 MoE weights)", null));
        grouped("gptq", 4, DEFAULT_GROUP_SIZE);
        grouped("gptq", 8, DEFAULT_GROUP_SIZE);
        grouped("awq", 4, DEFAULT_GROUP_SIZE);
        for (GgufFileType t : GgufFileType.values()) {
            String key = t.id().equals("f16") || t.id().equals("bf16") || t.id().equals("f32") ? "gguf-" + t.id()
                    : t == GgufFileType.MXFP4_MOE ? "mxfp4_moe" : t.id();
            add(new WeightFormat(key, Kind.GGUF, t.baseType().bitsPerWeight(), 0, 0, 32,
                    "GGUF " + t.id().toUpperCase(Locale.ROOT) + " file type (per-tensor mix)", t.source(), t));
        }
    }

    private static void floating(String id, double bits, String description, String source) {
        add(new WeightFormat(id, Kind.FLOAT, bits, bits, bits, bits, description, source, null));
    }

    private static WeightFormat grouped(String method, int bits, int groupSize) {
        Kind kind = method.equals("awq") ? Kind.AWQ : Kind.GPTQ;
        // Per group: one fp16 scale and one packed zero point of the same width (AutoGPTQ / AutoAWQ
        // packing: qzeros int32 holding 32/bits zeros); lm_head and embeddings stay fp16.
        double perWeight = bits + (16.0 + bits) / groupSize;
        String id = method + "-" + bits + "bit" + (groupSize == DEFAULT_GROUP_SIZE ? "" : "-g" + groupSize);
        WeightFormat f = new WeightFormat(id, kind, perWeight, 16, 16, 16,
                method.toUpperCase(Locale.ROOT) + " " + bits + "-bit, group size " + groupSize
                        + ": fp16 scale and " + bits + "-bit zero point per group",
                method.equals("awq") ? "Lin et al. 2023 (AWQ); AutoAWQ WQLinear packing"
                        : "Frantar et al. 2022 (GPTQ); AutoGPTQ QuantLinear packing (qweight, qzeros, scales)",
                null);
        if (groupSize == DEFAULT_GROUP_SIZE) {
            add(f);
        }
        return f;
    }

    private static void add(WeightFormat f) {
        BY_ID.put(f.id, f);
    }

    /** Every named format, in table order. */
    public static List<WeightFormat> all() {
        return new ArrayList<>(BY_ID.values());
    }

    /** Parses a --quant value; {@code groupSize} applies to GPTQ / AWQ (null = default 128). */
    public static WeightFormat parse(String text, Integer groupSize) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        t = switch (t) {
            case "8bit", "8-bit", "bnb-int8", "llm.int8", "bnb-8bit" -> "int8";
            case "4bit", "4-bit", "bnb-4bit", "fp4", "bnb-fp4" -> "int4";
            case "float32", "f32" -> "fp32";
            case "float16", "half", "f16" -> "fp16";
            case "bfloat16" -> "bf16";
            case "fp8-e4m3", "e4m3", "float8" -> "fp8";
            case "nf4dq", "nf4-double-quant", "nf4-double" -> "nf4-dq";
            case "gptq", "gptq-int4", "gptq4" -> "gptq-4bit";
            case "gptq-int8", "gptq8" -> "gptq-8bit";
            case "awq", "awq-int4", "awq4" -> "awq-4bit";
            default -> t;
        };
        Matcher bpw = BPW.matcher(t);
        if (bpw.matches()) {
            return exl2(Double.parseDouble(bpw.group(1)));
        }
        Matcher g = GROUPED.matcher(t);
        if (g.matches()) {
            int bits = Integer.parseInt(g.group(2));
            if (bits != 2 && bits != 3 && bits != 4 && bits != 8) {
                throw LlmplanException.invalid("'" + Printable.of(text) + "': GPTQ/AWQ bits must be 2, 3, 4 or 8");
            }
            int gs = g.group(3) != null ? Integer.parseInt(g.group(3)) : groupSize != null ? groupSize : DEFAULT_GROUP_SIZE;
            if (gs < 8 || gs > 65536) {
                throw LlmplanException.invalid("group size " + gs + " is out of range (8..65536)");
            }
            return grouped(g.group(1), bits, gs);
        }
        WeightFormat f = BY_ID.get(t);
        if (f == null) {
            f = BY_ID.get(t.replace('-', '_'));
        }
        if (f == null && (t.startsWith("q") || t.startsWith("iq") || t.startsWith("tq") || t.startsWith("gguf-"))) {
            GgufFileType gt = GgufFileType.fromId(t.replace("gguf-", "").replace('-', '_'));
            if (gt != null) {
                f = BY_ID.values().stream().filter(w -> w.gguf == gt).findFirst().orElse(null);
            }
        }
        if (f == null) {
            throw LlmplanException.invalid("unknown format '" + Printable.of(text) + "': expected fp32, fp16, bf16, fp8, int8 (8bit), "
                    + "int4 (4bit), nf4, nf4-dq, gptq-4bit, gptq-8bit, awq-4bit, 4.65bpw, or a GGUF type such as q4_k_m"
                    + " (see 'llmplan formats')");
        }
        return f;
    }

    /** exllamav2 average bits per weight; the head defaults to 6 bits (exl2 convert.py -hb 6). */
    private static WeightFormat exl2(double bits) {
        if (bits < 1 || bits > 32) {
            throw LlmplanException.invalid(bits + " bpw is out of range (1..32)");
        }
        String id = (bits == Math.rint(bits) ? String.valueOf((int) bits) : String.valueOf(bits)) + "bpw";
        return new WeightFormat(id, Kind.EXL2, bits, 16, 6, 16,
                "exllamav2 EXL2 at " + bits + " bits per weight on average; 6-bit head, 16-bit embeddings",
                "turboderp/exllamav2 convert.py (-b target bits, -hb head bits default 6)", null);
    }

    /**
     * This bitsandbytes format with the output head quantised like the block linears: Lightning's
     * BitsandbytesPrecision swaps every nn.Linear, lm_head included (fabric/plugins/precision/bitsandbytes.py
     * l.102-122), where transformers keeps it in 16 bits. Other formats are returned unchanged.
     */
    WeightFormat withQuantisedHead() {
        if (kind != Kind.BITSANDBYTES) {
            return this;
        }
        return new WeightFormat(id, kind, blockBits, embeddingBits, blockBits, normBits,
                description + "; lm_head quantised too (Lightning's bitsandbytes plugin)",
                source + "; Lightning fabric/plugins/precision/bitsandbytes.py l.102-122 (every nn.Linear, lm_head included)",
                gguf);
    }

    /** Storage bits for one tensor under this format. */
    private double bitsFor(Tensor tensor, TensorInventory inventory, Architecture arch) {
        if (gguf != null) {
            return tensor.role() == TensorRole.OTHER ? blockBits : gguf.typeFor(tensor, inventory, arch).bitsPerWeight();
        }
        if (kind == Kind.MXFP4 && arch.isMoe() && !tensor.expert()) {
            return tensor.role().isEmbeddingOrHead() ? embeddingBits : 16; // only the experts are MXFP4
        }
        return switch (tensor.role()) {
            case TOKEN_EMBEDDING, POSITION_EMBEDDING -> embeddingBits;
            case OUTPUT_HEAD -> headBits;
            case NORM, ROUTER -> normBits;
            default -> blockBits;
        };
    }

    /** Bytes for one tensor; GGUF types round up to whole blocks as the file does. */
    public double bytesFor(Tensor tensor, TensorInventory inventory, Architecture arch) {
        if (gguf != null && tensor.role() != TensorRole.OTHER) {
            return gguf.typeFor(tensor, inventory, arch).bytesFor(tensor.params());
        }
        return tensor.params() * bitsFor(tensor, inventory, arch) / 8.0;
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The format a model is planned in when --quant is not given: QLoRA's NF4 with double
     * quantisation; training in its precision's dtype; otherwise the released checkpoint's dtype
     * (FP8 for DeepSeek-V3/R1, MXFP4 for gpt-oss), 16-bit for fp32 checkpoints.
     */
    public static WeightFormat defaultFor(ModelSpec model, Mode mode, TrainingOptions.Precision precision) {
        if (mode == Mode.QLORA) {
            return parse("nf4-dq", null);
        }
        if (mode.isTraining()) {
            if (precision == TrainingOptions.Precision.FP32) {
                return parse("fp32", null);
            }
            return parse(precision == TrainingOptions.Precision.FP16_MIXED ? "fp16" : "bf16", null);
        }
        String n = model.nativePrecision();
        if ("fp8".equals(n) || "mxfp4".equals(n) || "bf16".equals(n)) {
            return parse(n, null);
        }
        return parse("fp16", null);
    }

    /** Nominal bits of the quantised linear weights (for display). */
    public double blockBits() {
        return blockBits;
    }

    public String description() {
        return description;
    }

    public String source() {
        return source;
    }

    public boolean isGguf() {
        return kind == Kind.GGUF;
    }

    /** Bytes per parameter of the compute dtype the runtime dequantises into (activations). */
    public int computeBytes() {
        return kind == Kind.FLOAT && blockBits == 32 ? 4 : 2;
    }

    /** The runtime a user of this format most likely runs. */
    public Runtime defaultRuntime() {
        return Runtimes.defaultFor(this);
    }

    @Override
    public String toString() {
        return id;
    }
}
