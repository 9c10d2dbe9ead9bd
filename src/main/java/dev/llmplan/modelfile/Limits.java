package dev.llmplan.modelfile;

/**
 * Bounds on what a model file may declare before we allocate or loop: real files stay far below
 * them, so a value beyond one means a corrupt (or hostile) file, never an out-of-memory or a hang.
 * Together they keep reading any model within {@link #MEMORY_BOUND_MIB} MiB of heap: metadata the tool
 * does not use is skipped unread, and what is kept per tensor is a name and a few numbers
 * (HostileCorpusTest reads the largest files these limits allow in a JVM capped at that heap).
 */
final class Limits {
    private Limits() {
    }

    /** The heap that reading any model file needs at most (README "Limits"). */
    public static final int MEMORY_BOUND_MIB = 256;
    /** A safetensors JSON header (DeepSeek-V3 shards: under 1 MiB; the format itself caps at 100 MB). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** A config.json (real ones: a few KiB; read into a tree, about ten times its size in memory). */
    static final long MAX_CONFIG_BYTES = 4L * 1024 * 1024;
    /** A model.safetensors.index.json, read as a stream (DeepSeek-V3's: about 8 MiB). */
    static final long MAX_INDEX_BYTES = 64L * 1024 * 1024;
    /** gguf.md: a metadata key "must be at most 2^16-1 bytes long". */
    static final long MAX_GGUF_KEY_BYTES = 65_535;
    /** ggml.h GGML_MAX_NAME is 64 bytes with the terminating NUL; gguf.cpp refuses longer tensor names. */
    static final long MAX_GGUF_TENSOR_NAME_BYTES = 63;
    /** A safetensors tensor name (real ones are under 100 characters). */
    static final int MAX_TENSOR_NAME_CHARS = 1024;
    /** GGUF metadata entries kept (only keys llmplan reads are kept at all; real files have about 40). */
    static final int MAX_KEPT_METADATA = 1024;
    /** safetensors __metadata__ entries kept for inspect (real files: one or two). */
    static final int MAX_KEPT_SAFETENSORS_METADATA = 256;
    /** One GGUF string: tensor names and chat templates are far below 1 MiB. */
    static final long MAX_STRING_BYTES = 1024L * 1024;
    /**
     * Tensors in one file or model: five times DeepSeek-V3's about 92,000, and few enough that their names
     * and sizes (about 250 bytes each) stay within {@link #MEMORY_BOUND_MIB}.
     */
    static final long MAX_TENSORS = 500_000;
    /** Metadata key/value pairs in one GGUF file. */
    static final long MAX_METADATA = 1_000_000;
    /** ggml tensors have at most 4 dimensions (GGML_MAX_DIMS); safetensors shapes are allowed 8. */
    static final int MAX_GGUF_DIMS = 4;
    static final int MAX_SAFETENSORS_DIMS = 8;
    /** Elements in one tensor: 2^40 (a trillion) is beyond any single tensor in use. */
    static final long MAX_ELEMENTS = 1L << 40;
    /** Nesting of GGUF arrays of arrays. */
    static final int MAX_ARRAY_DEPTH = 4;
    /** Shards of one split model. */
    static final int MAX_SHARDS = 10_000;
    /** Small GGUF arrays (per-layer head counts) are kept; longer ones only counted. */
    static final int KEPT_ARRAY_LENGTH = 4096;

    /** Product of dimensions with overflow and sanity checks; -1 when out of bounds. */
    static long elements(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0 || d > MAX_ELEMENTS) {
                return -1;
            }
            if (d == 0) {
                return 0;
            }
            if (n > MAX_ELEMENTS / d) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    /** Whether {@code bytes} is exactly {@code elements} values of {@code bits} each, rounded up to a byte. */
    static boolean fitsBits(long elements, int bits, long bytes) {
        if (elements > Long.MAX_VALUE / bits) {
            return false;
        }
        long needed = (elements * bits + 7) / 8;
        return needed == bytes;
    }
}
