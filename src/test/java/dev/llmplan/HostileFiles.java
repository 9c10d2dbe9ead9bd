package dev.llmplan;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Generates the hostile model files of the issue-16 campaign, valid as far as the format goes but built to
 * cost time or memory. Large files are written sparsely (the skipped array contents are holes that read as
 * zeros), so a 250 MB file takes a few MB of disk and a fraction of a second to write.
 */
public final class HostileFiles {
    private HostileFiles() {
    }

    /**
     * A GGUF file (gguf.md layout) with {@code arrays} u8 metadata arrays of {@code length} elements each and
     * one small F32 tensor: every byte of the arrays is metadata the tool never needs.
     */
    public static void ggufManyArrays(Path file, int arrays, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = le(24);
            head.putInt(0x46554747).putInt(3).putLong(1).putLong(arrays + 1L);
            write(ch, head);
            write(ch, kvString("general.architecture", "llama"));
            for (int i = 0; i < arrays; i++) {
                byte[] key = ("junk.array." + i).getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = le(8 + key.length + 4 + 4 + 8);
                b.putLong(key.length).put(key).putInt(9).putInt(0).putLong(length);
                write(ch, b);
                ch.position(ch.position() + length); // the array's bytes: a hole
            }
            writeTensorInfo(ch, "output_norm.weight", 64, 0);
            long data = align(ch.position());
            ch.position(data);
            write(ch, ByteBuffer.allocate(64 * 4));
        }
    }

    /**
     * A GGUF file listing {@code count} tensors with names of {@code nameBytes} bytes, each of 32 F32 values
     * laid out one after another: the most tensor bookkeeping a file of that size can ask for.
     */
    public static void ggufManyTensors(Path file, int count, int nameBytes) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ByteBuffer head = le(24);
            head.putInt(0x46554747).putInt(3).putLong(count).putLong(1);
            out.write(head.array());
            out.write(kvString("general.architecture", "llama").array());
            long written = 24 + kvString("general.architecture", "llama").capacity();
            for (int i = 0; i < count; i++) {
                String name = pad("t" + i, nameBytes);
                ByteBuffer b = le(8 + name.length() + 4 + 8 + 4 + 8);
                b.putLong(name.length()).put(name.getBytes(StandardCharsets.US_ASCII)).putInt(1).putLong(32).putInt(0)
                        .putLong(128L * i);
                out.write(b.array());
                written += b.capacity();
            }
            for (long p = written; p < align(written); p++) {
                out.write(0);
            }
            byte[] zeros = new byte[1 << 16];
            long data = 128L * count;
            while (data > 0) {
                int n = (int) Math.min(zeros.length, data);
                out.write(zeros, 0, n);
                data -= n;
            }
        }
    }

    /** A GGUF header claiming {@code count} tensors in a (sparse) file of {@code size} bytes. */
    public static void ggufClaimedTensors(Path file, long count, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = le(24);
            head.putInt(0x46554747).putInt(3).putLong(count).putLong(0);
            write(ch, head);
            ch.position(size - 1);
            write(ch, ByteBuffer.allocate(1));
        }
    }

    /** A GGUF file whose two tensors share their bytes (each valid alone). */
    public static void ggufOverlapping(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = le(24);
            head.putInt(0x46554747).putInt(3).putLong(2).putLong(1);
            write(ch, head);
            write(ch, kvString("general.architecture", "llama"));
            writeTensorInfo(ch, "a.weight", 1024, 0);
            writeTensorInfo(ch, "b.weight", 1024, 1024);
            ch.position(align(ch.position()));
            write(ch, ByteBuffer.allocate(4096 + 1024));
        }
    }

    /** A GGUF file naming the same tensor twice. */
    public static void ggufDuplicateNames(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = le(24);
            head.putInt(0x46554747).putInt(3).putLong(2).putLong(1);
            write(ch, head);
            write(ch, kvString("general.architecture", "llama"));
            writeTensorInfo(ch, "a.weight", 64, 0);
            writeTensorInfo(ch, "a.weight", 64, 256);
            ch.position(align(ch.position()));
            write(ch, ByteBuffer.allocate(512));
        }
    }

    /** A GGUF file whose general.name carries a terminal escape sequence (it would turn the terminal red). */
    public static void ggufEscapeName(Path file, String name) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = le(24);
            head.putInt(0x46554747).putInt(3).putLong(1).putLong(2);
            write(ch, head);
            write(ch, kvString("general.architecture", "llama"));
            write(ch, kvString("general.name", name));
            writeTensorInfo(ch, "output_norm.weight", 64, 0);
            ch.position(align(ch.position()));
            write(ch, ByteBuffer.allocate(256));
        }
    }

    /**
     * A safetensors file (huggingface/safetensors "Format") whose JSON header lists {@code count} U8 tensors
     * of one byte each with names of about {@code nameChars} characters.
     */
    public static void safetensorsManyTensors(Path file, int count, int nameChars) throws IOException {
        Path header = Files.createTempFile(file.getParent(), "header", ".json");
        long length = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(header), 1 << 16)) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < count; i++) {
                sb.append(i == 0 ? "" : ",").append('"').append(pad("t" + i, nameChars))
                        .append("\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[").append(i).append(',')
                        .append(i + 1).append("]}");
                if (sb.length() > 1 << 16) {
                    byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
                    out.write(b);
                    length += b.length;
                    sb.setLength(0);
                }
            }
            sb.append('}');
            byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
            out.write(b);
            length += b.length;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); FileChannel in = FileChannel.open(header)) {
            write(ch, le(8).putLong(length));
            long copied = 0;
            while (copied < length) {
                copied += in.transferTo(copied, length - copied, ch);
            }
            ch.position(8 + length + count - 1);
            write(ch, ByteBuffer.allocate(1));
        }
        Files.delete(header);
    }

    /** A safetensors file with one tensor and a {@code __metadata__} value of {@code text}. */
    public static void safetensorsMetadata(Path file, String key, String text) throws IOException {
        String json = "{\"__metadata__\":{\"" + key + "\":\"" + text + "\"},"
                + "\"w\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}";
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(8 + h.length + 4);
        b.putLong(h.length).put(h);
        Files.write(file, b.array());
    }

    private static void writeTensorInfo(FileChannel ch, String name, long elements, long offset) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(8 + n.length + 4 + 8 + 4 + 8);
        b.putLong(n.length).put(n).putInt(1).putLong(elements).putInt(0).putLong(offset);
        write(ch, b);
    }

    private static ByteBuffer kvString(String key, String value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(8 + k.length + 4 + 8 + v.length);
        b.putLong(k.length).put(k).putInt(8).putLong(v.length).put(v);
        return b.flip();
    }

    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        if (b.position() > 0) {
            b.flip();
        }
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long align(long v) {
        return (v + 31) / 32 * 32;
    }

    private static String pad(String s, int length) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < length) {
            sb.append('x');
        }
        return sb.toString();
    }
}
