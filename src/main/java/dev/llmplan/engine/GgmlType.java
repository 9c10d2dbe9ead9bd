package dev.llmplan.engine;

import java.util.Locale;

/**
 * A ggml tensor storage type, with the numeric id a GGUF file stores and its block layout.
 * Elements are stored in blocks of {@code blockSize} that take {@code typeSize} bytes each.
 *
 * <p>Ids and sizes follow ggml's {@code enum ggml_type} (ggml/include/ggml.h) and the
 * {@code type_traits} table (ggml/src/ggml.c), as mirrored by gguf-parser-go's {@code ggml.go}.
 * Ids 4, 5 (Q4_2, Q4_3), 31-33 (Q4_0_4_4 family) and 36-38 (IQ4_NL_4_4 family) are retired
 * and absent here.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    MXFP4(39, 32, 17);

    private final int id;
    private final int blockSize;
    private final int typeSize;

    GgmlType(int id, int blockSize, int typeSize) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    /** The numeric type id stored in a GGUF tensor-info record. */
    public int id() {
        return id;
    }

    /** Elements per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    public double bitsPerWeight() {
        return typeSize * 8.0 / blockSize;
    }

    /** Whether the type packs elements into blocks (ggml's {@code is_quantized}). */
    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Whether a row of {@code rowLength} elements fills whole blocks, which ggml requires. */
    public boolean fitsRow(long rowLength) {
        return rowLength % blockSize == 0;
    }

    /**
     * Bytes needed for {@code elements} values, rounded up to whole blocks.
     *
     * @throws ArithmeticException if the byte count does not fit in a long
     */
    public long bytesFor(long elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("negative element count: " + elements);
        }
        long blocks = elements / blockSize + (elements % blockSize == 0 ? 0 : 1);
        return Math.multiplyExact(blocks, (long) typeSize);
    }

    /** The type name in lower case, e.g. "q4_k" (ggml itself prints "q4_K"). */
    public String typeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type with this name in any case ("q4_K", "Q4_K", "q4_k"), or null when unknown. */
    public static GgmlType fromName(String name) {
        if (name == null) {
            return null;
        }
        for (GgmlType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }

    /** The type with this GGUF id, or null when the id is unknown or retired. */
    public static GgmlType fromId(int id) {
        for (GgmlType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
