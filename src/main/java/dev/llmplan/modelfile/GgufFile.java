package dev.llmplan.modelfile;

import dev.llmplan.engine.GgmlType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of one GGUF file (versions 2 and 3): metadata key/values and tensor infos, read as
 * ggml/docs/gguf.md lays them out. Tensor data is never read; each tensor's exact byte size comes
 * from its ggml type ({@link GgmlType#bytesFor}) and is checked to lie inside the file.
 */
public record GgufFile(String path, int version, long fileBytes, Map<String, Object> metadata,
                       List<TensorEntry> tensors, long dataOffset) {

    /** "GGUF" read as a little-endian u32 (gguf.md: GGUF_MAGIC 0x46554747). */
    private static final long MAGIC = 0x46554747L;
    /** gguf.md: general.alignment defaults to 32 bytes. */
    private static final long DEFAULT_ALIGNMENT = 32;

    /** An array value: its element type and length; {@code values} only for short arrays. */
    public record GgufArray(int elementType, long length, List<Object> values) {
    }

    public static GgufFile read(Path path) {
        return read(new FileSource(path));
    }

    /** Reads the header from any source; tensor data is never requested. */
    public static GgufFile read(ByteSource source) {
        try {
            return read(new BoundedInput(source));
        } catch (IOException e) {
            throw Corrupt.unreadable(source.name(), e.getMessage());
        }
    }

    private static GgufFile read(BoundedInput in) throws IOException {
        String path = in.path();
        if (in.size() < 24) {
            throw Corrupt.file(path, "too short for a GGUF header (" + in.size() + " bytes)");
        }
        if (in.u32("magic") != MAGIC) {
            throw Corrupt.file(path, "not a GGUF file (wrong magic number)");
        }
        long version = in.u32("version");
        if (version != 2 && version != 3) {
            throw Corrupt.file(path, "GGUF version " + version + " (only versions 2 and 3 are read"
                    + (version > 0xffffL ? "; big-endian files are not supported" : "") + ")");
        }
        long tensorCount = in.u64("tensor count");
        long kvCount = in.u64("metadata count");
        // A tensor info takes at least 24 bytes and a key/value at least 13: counts beyond what the
        // file could hold are corrupt, which also bounds every loop below.
        if (tensorCount > Limits.MAX_TENSORS && tensorCount <= in.remaining() / 24) {
            throw Corrupt.file(path, "more than " + Limits.MAX_TENSORS + " tensors (" + tensorCount + ")");
        }
        if (tensorCount < 0 || tensorCount > Limits.MAX_TENSORS || tensorCount > in.remaining() / 24) {
            throw Corrupt.file(path, "tensor count " + Long.toUnsignedString(tensorCount)
                    + " does not fit in the file (truncated or corrupt)");
        }
        if (kvCount < 0 || kvCount > Limits.MAX_METADATA || kvCount > in.remaining() / 13) {
            throw Corrupt.file(path, "metadata count " + Long.toUnsignedString(kvCount)
                    + " does not fit in the file (truncated or corrupt)");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key", Limits.MAX_GGUF_KEY_BYTES);
            int type = (int) in.u32("metadata type of " + FileText.clean(key, 80));
            // Only keys llmplan reads are kept (at most MAX_KEPT_METADATA of them); every other value is
            // skipped by its length, so a file of many large arrays costs neither time nor memory.
            boolean keep = GgufArchitecture.reads(key) && (metadata.size() < Limits.MAX_KEPT_METADATA || metadata.containsKey(key));
            if (keep) {
                metadata.put(FileText.clean(key), value(in, type, key, 0));
            } else {
                skipValue(in, type, key, 0);
            }
        }
        long alignment = DEFAULT_ALIGNMENT;
        if (metadata.get("general.alignment") instanceof Long a) {
            if (a < 1 || a > (1 << 20) || Long.bitCount(a) != 1) {
                throw Corrupt.file(path, "general.alignment " + a + " is not a power of two up to 1 MiB");
            }
            alignment = a;
        }
        List<TensorEntry> tensors = new ArrayList<>((int) Math.min(tensorCount, 1 << 16));
        long[] offsets = new long[(int) Math.min(tensorCount, 1 << 16)];
        long[] sizes = new long[offsets.length];
        for (int i = 0; i < tensorCount; i++) {
            // ggml.h GGML_MAX_NAME is 64 bytes with the terminating NUL; gguf.cpp refuses longer names.
            String name = in.string("tensor name", Limits.MAX_GGUF_TENSOR_NAME_BYTES);
            long nDims = in.u32("dimension count of " + name);
            if (nDims < 1 || nDims > Limits.MAX_GGUF_DIMS) {
                throw Corrupt.file(path, "tensor '" + name + "' has " + nDims + " dimensions");
            }
            long[] dims = new long[(int) nDims];
            for (int d = 0; d < nDims; d++) {
                dims[d] = in.u64("dimension of " + name);
            }
            long elements = Limits.elements(dims);
            if (elements < 0) {
                throw Corrupt.file(path, "tensor '" + name + "' has more than 2^40 elements");
            }
            int typeId = (int) in.u32("type of " + name);
            GgmlType type = GgmlType.fromId(typeId);
            if (type == null) {
                throw Corrupt.file(path, "tensor '" + name + "' has unknown ggml type " + Integer.toUnsignedString(typeId));
            }
            if (!type.fitsRow(dims[0])) {
                throw Corrupt.file(path, "tensor '" + name + "' row of " + dims[0] + " does not fill "
                        + type.typeName() + " blocks of " + type.blockSize());
            }
            long offset = in.u64("offset of " + name);
            long bytes = type.bytesFor(elements);
            tensors.add(TensorEntry.of(name, type.typeName(), dims, elements, bytes));
            if (i == offsets.length) {
                offsets = Arrays.copyOf(offsets, Math.max(16, offsets.length * 2));
                sizes = Arrays.copyOf(sizes, offsets.length);
            }
            offsets[i] = offset;
            sizes[i] = bytes;
        }
        long dataOffset = align(in.position(), alignment);
        for (int i = 0; i < tensors.size(); i++) {
            long offset = offsets[i];
            long bytes = sizes[i];
            if (offset < 0 || offset % alignment != 0 || offset > in.size() - dataOffset
                    || bytes > in.size() - dataOffset - offset) {
                throw Corrupt.file(path, "tensor '" + tensors.get(i).name() + "' data lies outside the file"
                        + " (truncated file?)");
            }
        }
        TensorNames.requireUnique(tensors, path, "(gguf.cpp refuses duplicate names)");
        checkNoOverlap(path, tensors, offsets, sizes);
        return new GgufFile(path, (int) version, in.size(), Collections.unmodifiableMap(metadata), tensors, dataOffset);
    }

    /** Two tensors may not share bytes: a file that reuses ranges would count the same weights twice. */
    private static void checkNoOverlap(String path, List<TensorEntry> tensors, long[] offsets, long[] sizes) {
        Integer[] order = new Integer[tensors.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(offsets[a], offsets[b]));
        long end = 0;
        int last = -1;
        for (int i : order) {
            if (sizes[i] == 0) {
                continue;
            }
            if (last >= 0 && offsets[i] < end) {
                throw Corrupt.file(path, "tensors '" + tensors.get(last).name() + "' and '" + tensors.get(i).name()
                        + "' overlap in the file");
            }
            end = offsets[i] + sizes[i];
            last = i;
        }
    }

    private static long align(long position, long alignment) {
        long rest = position % alignment;
        return rest == 0 ? position : position + alignment - rest;
    }

    /** Reads one kept value of GGUF type {@code type} (gguf.md gguf_metadata_value_type). */
    private static Object value(BoundedInput in, int type, String key, int depth) throws IOException {
        return switch (type) {
            case 0 -> (long) in.u8(key);
            case 1 -> (long) (byte) in.u8(key);
            case 2 -> (long) in.u16(key);
            case 3 -> (long) (short) in.u16(key);
            case 4 -> in.u32(key);
            case 5 -> (long) (int) in.u32(key);
            case 6 -> (double) Float.intBitsToFloat((int) in.u32(key));
            case 7 -> in.u8(key) != 0;
            case 8 -> FileText.clean(in.prefix(key, FileText.MAX_CHARS * 4));
            case 9 -> array(in, key, depth);
            case 10, 11 -> in.u64(key);
            case 12 -> Double.longBitsToDouble(in.u64(key));
            default -> throw unknownType(in, key, type);
        };
    }

    /** Skips one value without keeping anything: fixed-width values and primitive arrays by their length. */
    private static void skipValue(BoundedInput in, int type, String key, int depth) throws IOException {
        int width = fixedWidth(type);
        if (width > 0) {
            in.skip(width, key);
        } else if (type == 8) {
            in.skipString(key);
        } else if (type == 9) {
            ArrayHeader h = arrayHeader(in, key, depth);
            skipElements(in, h, key, depth);
        } else {
            throw unknownType(in, key, type);
        }
    }

    private record ArrayHeader(int type, long length, int width) {
    }

    private static ArrayHeader arrayHeader(BoundedInput in, String key, int depth) throws IOException {
        if (depth >= Limits.MAX_ARRAY_DEPTH) {
            throw Corrupt.file(in.path(), "metadata '" + key + "' nests arrays too deeply");
        }
        int type = (int) in.u32(key + " element type");
        long length = in.u64(key + " length");
        int width = fixedWidth(type);
        // Strings take at least their 8-byte length, arrays their 12-byte header.
        long minimum = width > 0 ? width : type == 8 ? 8 : type == 9 ? 12 : -1;
        if (minimum < 0) {
            throw Corrupt.file(in.path(), "metadata '" + key + "' has unknown element type " + Integer.toUnsignedString(type));
        }
        if (length < 0 || length > in.remaining() / minimum) {
            throw Corrupt.file(in.path(), "metadata '" + key + "' array length " + Long.toUnsignedString(length)
                    + " exceeds the file");
        }
        return new ArrayHeader(type, length, width);
    }

    private static void skipElements(BoundedInput in, ArrayHeader h, String key, int depth) throws IOException {
        if (h.width() > 0) {
            in.skip(h.length() * h.width(), key);
            return;
        }
        for (long i = 0; i < h.length(); i++) {
            skipValue(in, h.type(), key, depth + 1);
        }
    }

    /**
     * A kept array: short arrays of numbers (per-layer head counts and widths) keep their values; string
     * arrays (the tokenizer's vocabulary) and arrays of arrays keep only their length.
     */
    private static GgufArray array(BoundedInput in, String key, int depth) throws IOException {
        ArrayHeader h = arrayHeader(in, key, depth);
        if (h.width() > 0 && h.length() <= Limits.KEPT_ARRAY_LENGTH) {
            List<Object> values = new ArrayList<>((int) h.length());
            for (long i = 0; i < h.length(); i++) {
                values.add(value(in, h.type(), key, depth + 1));
            }
            return new GgufArray(h.type(), h.length(), Collections.unmodifiableList(values));
        }
        skipElements(in, h, key, depth);
        return new GgufArray(h.type(), h.length(), null);
    }

    private static RuntimeException unknownType(BoundedInput in, String key, int type) {
        return Corrupt.file(in.path(), "metadata '" + key + "' has unknown value type " + Integer.toUnsignedString(type));
    }

    private static int fixedWidth(int type) {
        return switch (type) {
            case 0, 1, 7 -> 1;
            case 2, 3 -> 2;
            case 4, 5, 6 -> 4;
            case 10, 11, 12 -> 8;
            default -> 0;
        };
    }
}
