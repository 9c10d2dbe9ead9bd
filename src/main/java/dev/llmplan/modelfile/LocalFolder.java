package dev.llmplan.modelfile;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A folder on disk as a {@link ModelFolder}; {@code dir} is kept as the user wrote it, so messages show their path. */
public record LocalFolder(Path dir) implements ModelFolder {
    @Override
    public String name() {
        return dir.toString();
    }

    @Override
    public String shortName() {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? dir.toString() : n.toString();
    }

    @Override
    public String describe(String file) {
        return dir.resolve(file).toString();
    }

    @Override
    public List<String> files() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.toString().isEmpty() ? Path.of(".") : dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    out.add(p.getFileName().toString());
                }
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public boolean isFile(String file) {
        return Files.isRegularFile(dir.resolve(file));
    }

    @Override
    public ByteSource open(String file) {
        return new FileSource(dir.resolve(file));
    }
}
