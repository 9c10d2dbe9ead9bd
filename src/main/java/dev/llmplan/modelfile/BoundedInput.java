package dev.llmplan.modelfile;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sequential little-endian reads from a file opened read-only, that never read past its end and
 * never allocate more than a caller's bound: every length is checked against what is left.
 */
final class BoundedInput implements Closeable {
    private final Path path;
    private final InputStream in;
    private final long size;
    private long position;

    BoundedInput(Path path) throws IOException {
        this.path = path;
        this.size = Files.size(path);
        this.in = new BufferedInputStream(Files.newInputStream(path, StandardOpenOption.READ), 1 << 16);
    }

    long position() {
        return position;
    }

    long size() {
        return size;
    }

    long remaining() {
        return size - position;
    }

    Path path() {
        return path;
    }

    private void need(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw Corrupt.file(path, "truncated while reading " + what + " at byte " + position);
        }
    }

    byte[] bytes(int n, String what) throws IOException {
        need(n, what);
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw Corrupt.file(path, "truncated while reading " + what);
        }
        position += n;
        return b;
    }

    void skip(long n, String what) throws IOException {
        need(n, what);
        in.skipNBytes(n);
        position += n;
    }

    int u8(String what) throws IOException {
        return bytes(1, what)[0] & 0xff;
    }

    int u16(String what) throws IOException {
        byte[] b = bytes(2, what);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    /** An unsigned 32-bit value as a long. */
    long u32(String what) throws IOException {
        byte[] b = bytes(4, what);
        return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
    }

    /** A 64-bit value; callers bound it before using it as a count. */
    long u64(String what) throws IOException {
        long lo = u32(what);
        long hi = u32(what);
        return lo | hi << 32;
    }

    /** A GGUF string: a u64 length then UTF-8 bytes, at most {@code Limits.MAX_STRING_BYTES}. */
    String string(String what) throws IOException {
        long n = u64(what + " length");
        if (n < 0 || n > Limits.MAX_STRING_BYTES) {
            throw Corrupt.file(path, what + " length " + Long.toUnsignedString(n) + " exceeds " + Limits.MAX_STRING_BYTES);
        }
        return new String(bytes((int) n, what), StandardCharsets.UTF_8);
    }

    /** Skips a GGUF string without keeping it. */
    void skipString(String what) throws IOException {
        long n = u64(what + " length");
        if (n < 0 || n > Limits.MAX_STRING_BYTES) {
            throw Corrupt.file(path, what + " length " + Long.toUnsignedString(n) + " exceeds " + Limits.MAX_STRING_BYTES);
        }
        skip(n, what);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
