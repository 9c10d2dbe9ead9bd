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
    private final byte[] scratch = new byte[8];
    private long position;

    BoundedInput(Path path) throws IOException {
        this.path = path;
        ModelFiles.requireRegularFile(path);
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

    /** Little-endian value of {@code n} (1 to 8) bytes, read without allocating. */
    private long little(int n, String what) throws IOException {
        need(n, what);
        if (in.readNBytes(scratch, 0, n) != n) {
            throw Corrupt.file(path, "truncated while reading " + what);
        }
        position += n;
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (scratch[i] & 0xffL);
        }
        return v;
    }

    int u8(String what) throws IOException {
        return (int) little(1, what);
    }

    int u16(String what) throws IOException {
        return (int) little(2, what);
    }

    /** An unsigned 32-bit value as a long. */
    long u32(String what) throws IOException {
        return little(4, what);
    }

    /** A 64-bit value; callers bound it before using it as a count. */
    long u64(String what) throws IOException {
        return little(8, what);
    }

    /** A GGUF string: a u64 length then UTF-8 bytes, at most {@code max} bytes. */
    String string(String what, long max) throws IOException {
        long n = u64(what + " length");
        if (n < 0 || n > max) {
            throw Corrupt.file(path, what + " length " + Long.toUnsignedString(n) + " exceeds " + max);
        }
        return new String(bytes((int) n, what), StandardCharsets.UTF_8);
    }

    /** A GGUF string of at most {@code Limits.MAX_STRING_BYTES}. */
    String string(String what) throws IOException {
        return string(what, Limits.MAX_STRING_BYTES);
    }

    /** A GGUF string of which only the first {@code keep} bytes are read into memory; the rest is skipped. */
    String prefix(String what, int keep) throws IOException {
        long n = u64(what + " length");
        if (n < 0 || n > Limits.MAX_STRING_BYTES) {
            throw Corrupt.file(path, what + " length " + Long.toUnsignedString(n) + " exceeds " + Limits.MAX_STRING_BYTES);
        }
        int kept = (int) Math.min(n, keep);
        String s = new String(bytes(kept, what), StandardCharsets.UTF_8);
        skip(n - kept, what);
        return s;
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
