package dev.llmplan.modelfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header of one {@code .safetensors} file: an 8-byte little-endian length, then that many bytes
 * of JSON naming each tensor's dtype, shape and byte range (huggingface/safetensors README, "Format").
 * Only the header is read; the tensor data is never touched.
 */
public record SafetensorsFile(String path, long fileBytes, long headerBytes, List<TensorEntry> tensors,
                              Map<String, String> metadata) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static SafetensorsFile read(Path path) {
        return read(new FileSource(path));
    }

    /** Reads the 8-byte length, then the header alone: two reads, whatever the source. */
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
            byte[] header = source.read(8, (int) n);
            if (header.length < n) {
                throw Corrupt.file(path, "truncated");
            }
            return parse(path, size, n, header);
        } catch (IOException e) {
            throw Corrupt.unreadable(path, e.getMessage());
        }
    }

    static SafetensorsFile parse(String path, long size, long headerLength, byte[] header) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw Corrupt.file(path, "header is not valid JSON (" + oneLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw Corrupt.file(path, "header is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw Corrupt.file(path, "header is not a JSON object");
        }
        if (root.size() > Limits.MAX_TENSORS) {
            throw Corrupt.file(path, "more than " + Limits.MAX_TENSORS + " tensors");
        }
        long dataBytes = size - 8 - headerLength;
        List<TensorEntry> tensors = new ArrayList<>();
        List<long[]> ranges = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                if (f.getValue().isObject()) {
                    f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                }
                continue;
            }
            tensors.add(tensor(path, f.getKey(), f.getValue(), dataBytes, ranges));
        }
        // The format forbids overlapping ranges, so the tensor bytes can never exceed the data area.
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        long end = 0;
        for (long[] r : ranges) {
            if (r[0] < end) {
                throw Corrupt.file(path, "tensor byte ranges overlap");
            }
            end = r[1];
        }
        return new SafetensorsFile(path, size, headerLength, tensors, metadata);
    }

    private static TensorEntry tensor(String path, String name, JsonNode t, long dataBytes, List<long[]> ranges) {
        String where = "tensor '" + shorten(name) + "'";
        if (!t.isObject() || !t.path("dtype").isTextual() || !t.path("shape").isArray()
                || !t.path("data_offsets").isArray() || t.path("data_offsets").size() != 2) {
            throw Corrupt.file(path, where + " lacks dtype, shape or data_offsets");
        }
        JsonNode shapeNode = t.get("shape");
        if (shapeNode.size() > Limits.MAX_SAFETENSORS_DIMS) {
            throw Corrupt.file(path, where + " has " + shapeNode.size() + " dimensions");
        }
        long[] dims = new long[shapeNode.size()];
        List<Long> shape = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToExactIntegral() || !d.canConvertToLong() || d.asLong() < 0) {
                throw Corrupt.file(path, where + " has an invalid dimension " + shorten(d.toString()));
            }
            dims[i] = d.asLong();
            shape.add(dims[i]);
        }
        long elements = Limits.elements(dims);
        if (elements < 0) {
            throw Corrupt.file(path, where + " has more than 2^40 elements");
        }
        JsonNode b = t.get("data_offsets").get(0);
        JsonNode e = t.get("data_offsets").get(1);
        if (!b.canConvertToExactIntegral() || !e.canConvertToExactIntegral() || !b.canConvertToLong() || !e.canConvertToLong()) {
            throw Corrupt.file(path, where + " has invalid data_offsets");
        }
        long begin = b.asLong();
        long end = e.asLong();
        if (begin < 0 || end < begin || end > dataBytes) {
            throw Corrupt.file(path, where + " data_offsets [" + begin + ", " + end + "] fall outside the "
                    + dataBytes + " data bytes (truncated file?)");
        }
        long bytes = end - begin;
        String dtype = t.get("dtype").asText().toUpperCase(Locale.ROOT);
        int bits = dtypeBits(dtype);
        if (bits > 0 && !Limits.fitsBits(elements, bits, bytes)) {
            throw Corrupt.file(path, where + " holds " + bytes + " bytes, not " + elements + " x " + bits + " bits");
        }
        ranges.add(new long[] {begin, end});
        return new TensorEntry(name, dtype, shape, elements, bytes);
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
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "parse error";
        }
        String line = s.replace('\n', ' ').replace('\r', ' ');
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
