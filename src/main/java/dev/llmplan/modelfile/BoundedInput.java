package dev.llmplan.modelfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Sequential little-endian reads from a {@link ByteSource} that never read past its end and never
 * allocate more than a caller's bound: every length is checked against what is left. Bytes are
 * fetched in growing chunks (64 KiB, doubling up to 8 MiB), so a remote header costs a handful of
 * range requests, and skipped spans are never fetched at all.
 */
final class BoundedInput {
    private static final int FIRST_CHUNK = 64 * 1024;
    private static final int MAX_CHUNK = 8 * 1024 * 1024;

    private final ByteSource source;
    private final long size;
    private final byte[] scratch = new byte[8];
    private long position;
    private byte[] buffer = new byte[0];
    private long bufferStart;
    private int chunk = FIRST_CHUNK;

    BoundedInput(ByteSource source) throws IOException {
        this.source = source;
        this.size = source.size();
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

    /** How messages name the file. */
    String path() {
        return source.name();
    }

    private void need(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw Corrupt.file(path(), "truncated while reading " + what + " at byte " + position);
        }
    }

    byte[] bytes(int n, String what) throws IOException {
        need(n, what);
        if (position < bufferStart || position + n > bufferStart + buffer.length) {
            int want = (int) Math.min(Math.max(n, chunk), remaining());
            buffer = source.read(position, want);
            bufferStart = position;
            chunk = Math.min(chunk * 2, MAX_CHUNK);
            if (buffer.length < n) {
                throw Corrupt.file(path(), "truncated while reading " + what);
            }
        }
        int from = (int) (position - bufferStart);
        byte[] b = new byte[n];
        System.arraycopy(buffer, from, b, 0, n);
        position += n;
        return b;
    }

    void skip(long n, String what) {
        need(n, what);
        position += n;
    }

    /** Little-endian value of {@code n} (1 to 8) bytes. */
    private long little(int n, String what) throws IOException {
        byte[] b = bytes(n, what);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xffL);
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
            throw Corrupt.file(path(), what + " length " + Long.toUnsignedString(n) + " exceeds " + max);
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
            throw Corrupt.file(path(), what + " length " + Long.toUnsignedString(n) + " exceeds " + Limits.MAX_STRING_BYTES);
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
            throw Corrupt.file(path(), what + " length " + Long.toUnsignedString(n) + " exceeds " + Limits.MAX_STRING_BYTES);
        }
        skip(n, what);
    }
}
