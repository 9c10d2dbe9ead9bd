package dev.llmplan.modelfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** A local file as a {@link ByteSource}: each read opens it read-only, reads at a position and closes it. */
public record FileSource(Path path) implements ByteSource {
    @Override
    public String name() {
        return path.toString();
    }

    /** Only regular files are read: a FIFO would block and a device never end. */
    @Override
    public long size() throws IOException {
        ModelFiles.requireRegularFile(path);
        return Files.size(path);
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    break;
                }
            }
        }
        return buf.position() == length ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }
}
