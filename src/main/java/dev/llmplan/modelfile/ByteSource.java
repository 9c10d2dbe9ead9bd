package dev.llmplan.modelfile;

import java.io.IOException;

/**
 * Random access to the bytes of one model file, wherever it lives: a local file, or a file on a
 * model hub read with HTTP range requests. The header parsers read only through this, so they never
 * care where the bytes come from; a source that fails throws {@link IOException} (or a one-line
 * {@link dev.llmplan.engine.LlmplanException} of its own).
 */
public interface ByteSource {
    /** How messages name the file: a path, or {@code hf:ORG/NAME/FILE}. */
    String name();

    /** The file's length in bytes. */
    long size() throws IOException;

    /**
     * {@code length} bytes starting at {@code offset}; fewer only when the file ends first (the
     * parsers then report the file as truncated). Callers keep {@code offset + length <= size()}.
     */
    byte[] read(long offset, int length) throws IOException;

    /**
     * Refuses, before anything is read, a span the source will not serve in all (a remote file has a
     * budget); a local file serves any span of itself.
     */
    default void requireReadable(long bytes) {
    }
}
