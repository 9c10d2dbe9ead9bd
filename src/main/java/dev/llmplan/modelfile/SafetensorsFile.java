package dev.llmplan.modelfile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header of one {@code .safetensors} file: an 8-byte little-endian length, then that many bytes
 * of JSON naming each tensor's dtype, shape and byte range (huggingface/safetensors README, "Format").
 * Only the header is read, as a stream: tensors are counted as they come (a header of more than
 * {@link Limits#MAX_TENSORS} fails there) and nothing but each tensor's name and sizes is kept, so a
 * 100 MB header costs little more memory than the tensors it lists. The tensor data is never touched.
 */
public record SafetensorsFile(String path, long fileBytes, long headerBytes, List<TensorEntry> tensors,
                              Map<String, String> metadata) {

    /** Tensor names are keys: neither interned nor kept in the parser's symbol table, which would hold them all twice. */
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(64).maxNumberLength(64).maxStringLength((int) Limits.MAX_STRING_BYTES)
            .maxNameLength((int) Limits.MAX_STRING_BYTES).build())
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();
    /** The dtypes seen, so that each tensor shares one string ("BF16") instead of keeping its own. */
    private static final int MAX_SHARED_DTYPES = 64;

    public static SafetensorsFile read(Path path) {
        return read(new FileSource(path));
    }

    /** Reads the 8-byte length, then streams the header alone from the source; the data is never read. */
    public static SafetensorsFile read(ByteSource source) {
        String path = source.name();
        try {
            long size = source.size();
            if (size < 8) {
                throw Corrupt.file(path, "shorter than the 8-byte safetensors header length");
            }
            byte[] len = source.read(0, 8);
            if (len.length < 8) {
                throw Corrupt.file(path, "truncated");
            }
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (n < 2 || n > Limits.MAX_HEADER_BYTES) {
                throw Corrupt.file(path, "safetensors header length " + Long.toUnsignedString(n)
                        + " is outside 2.." + Limits.MAX_HEADER_BYTES);
            }
            if (n > size - 8) {
                throw Corrupt.file(path, "truncated: header of " + n + " bytes but the file has " + size);
            }
            source.requireReadable(8 + n);
            return parse(path, size, n, new BufferedInputStream(new SourceStream(source, 8, n), 1 << 16));
        } catch (IOException e) {
            throw Corrupt.unreadable(path, e.getMessage());
        }
    }

    private static SafetensorsFile parse(String path, long size, long headerLength, InputStream header) {
        long dataBytes = size - 8 - headerLength;
        List<TensorEntry> tensors = new ArrayList<>();
        Map<String, String> dtypes = new HashMap<>();
        Ranges ranges = new Ranges();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(header)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw Corrupt.file(path, "header is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("__metadata__")) {
                    metadata(p, metadata);
                    continue;
                }
                if (tensors.size() >= Limits.MAX_TENSORS) {
                    throw Corrupt.file(path, "more than " + Limits.MAX_TENSORS + " tensors");
                }
                if (name.length() > Limits.MAX_TENSOR_NAME_CHARS) {
                    throw Corrupt.file(path, "a tensor name longer than " + Limits.MAX_TENSOR_NAME_CHARS + " characters");
                }
                tensors.add(tensor(path, name, p, dataBytes, ranges, dtypes));
            }
            if (t != JsonToken.END_OBJECT) {
                throw Corrupt.file(path, "header is not valid JSON (truncated)");
            }
        } catch (JsonProcessingException e) {
            throw Corrupt.file(path, "header is not valid JSON (" + oneLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw Corrupt.unreadable(path, e.getMessage());
        }
        ranges.checkNoOverlap(path);
        TensorNames.requireUnique(tensors, path, "in the header");
        return new SafetensorsFile(path, size, headerLength, tensors, metadata);
    }

    /** {@code __metadata__}: a string-to-string map (other values are kept as their text, nested ones skipped). */
    private static void metadata(JsonParser p, Map<String, String> out) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v.isStructStart()) {
                p.skipChildren();
            } else if (out.size() < Limits.MAX_KEPT_SAFETENSORS_METADATA) {
                out.put(FileText.clean(key), FileText.clean(v == JsonToken.VALUE_NULL ? "" : p.getText()));
            }
        }
    }

    private static TensorEntry tensor(String path, String name, JsonParser p, long dataBytes, Ranges ranges,
                                      Map<String, String> dtypes) throws IOException {
        String where = "tensor '" + shorten(name) + "'";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw Corrupt.file(path, where + " lacks dtype, shape or data_offsets");
        }
        String dtype = null;
        long[] dims = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        throw Corrupt.file(path, where + " lacks dtype, shape or data_offsets");
                    }
                    dtype = FileText.clean(p.getText(), 64).toUpperCase(Locale.ROOT);
                    String shared = dtypes.get(dtype);
                    if (shared != null) {
                        dtype = shared;
                    } else if (dtypes.size() < MAX_SHARED_DTYPES) {
                        dtypes.put(dtype, dtype);
                    }
                }
                case "shape" -> dims = integers(path, where, p, Limits.MAX_SAFETENSORS_DIMS, "dimension");
                case "data_offsets" -> offsets = integers(path, where, p, 2, "data_offsets");
                default -> p.skipChildren();
            }
        }
        if (dtype == null || dims == null || offsets == null || offsets.length != 2) {
            throw Corrupt.file(path, where + " lacks dtype, shape or data_offsets");
        }
        long elements = Limits.elements(dims);
        if (elements < 0) {
            throw Corrupt.file(path, where + " has more than 2^40 elements");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin || end > dataBytes) {
            throw Corrupt.file(path, where + " data_offsets [" + begin + ", " + end + "] fall outside the "
                    + dataBytes + " data bytes (truncated file?)");
        }
        long bytes = end - begin;
        int bits = dtypeBits(dtype);
        if (bits > 0 && !Limits.fitsBits(elements, bits, bytes)) {
            throw Corrupt.file(path, where + " holds " + bytes + " bytes, not " + elements + " x " + bits + " bits");
        }
        ranges.add(begin, end);
        return TensorEntry.of(name, dtype, dims, elements, bytes);
    }

    /** A JSON array of at most {@code max} non-negative integers (a shape or a byte range). */
    private static long[] integers(String path, String where, JsonParser p, int max, String what) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw Corrupt.file(path, where + " lacks dtype, shape or data_offsets");
        }
        long[] out = new long[max];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n == max) {
                throw Corrupt.file(path, where + " has more than " + max + " " + (max == 2 ? "data_offsets" : "dimensions"));
            }
            long v = -1;
            if (t == JsonToken.VALUE_NUMBER_INT) {
                try {
                    v = p.getLongValue();
                } catch (InputCoercionException e) {
                    v = -1;
                }
            }
            if (v < 0) {
                p.skipChildren();
                throw Corrupt.file(path, where + " has an invalid " + what + " " + shorten(p.getText()));
            }
            out[n++] = v;
        }
        return Arrays.copyOf(out, n);
    }

    /** Byte ranges of the tensors, kept as primitive pairs for the overlap check. */
    private static final class Ranges {
        private long[] begin = new long[64];
        private long[] end = new long[64];
        private int n;

        void add(long b, long e) {
            if (n == begin.length) {
                begin = Arrays.copyOf(begin, n * 2);
                end = Arrays.copyOf(end, n * 2);
            }
            begin[n] = b;
            end[n] = e;
            n++;
        }

        /** The format forbids overlapping ranges, so the tensor bytes can never exceed the data area. */
        void checkNoOverlap(String path) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(begin[a], begin[b]));
            long reached = 0;
            for (int i : order) {
                if (begin[i] < reached) {
                    throw Corrupt.file(path, "tensor byte ranges overlap");
                }
                reached = Math.max(reached, end[i]);
            }
        }
    }

    /**
     * {@code length} bytes of a source from {@code offset}, read in chunks of at most 1 MiB: the header,
     * never the tensor data after it, and never the whole header in memory at once.
     */
    private static final class SourceStream extends InputStream {
        private static final int CHUNK = 1 << 20;
        private final ByteSource source;
        private long position;
        private final long end;

        SourceStream(ByteSource source, long offset, long length) {
            this.source = source;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int want = (int) Math.min(Math.min(len, CHUNK), end - position);
            byte[] got = source.read(position, want);
            if (got.length == 0) {
                throw new IOException("truncated");
            }
            System.arraycopy(got, 0, b, off, got.length);
            position += got.length;
            return got.length;
        }
    }

    /** Bits per element of a safetensors dtype (safetensors Dtype::bitsize), or 0 when unknown. */
    static int dtypeBits(String dtype) {
        return switch (dtype) {
            case "BOOL", "U8", "I8", "F8_E4M3", "F8_E5M2", "F8_E8M0" -> 8;
            case "F4" -> 4;
            case "F6_E2M3", "F6_E3M2" -> 6;
            case "I16", "U16", "F16", "BF16" -> 16;
            case "I32", "U32", "F32" -> 32;
            case "I64", "U64", "F64", "C64" -> 64;
            default -> 0;
        };
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "parse error";
        }
        String line = s.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
