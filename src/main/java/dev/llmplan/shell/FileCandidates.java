package dev.llmplan.shell;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** File-name candidates for arguments that are files; folders end in '/' and stay open for more typing. */
final class FileCandidates {
    private static final int MAX = 500;

    private final Path workingDir;

    FileCandidates(Path workingDir) {
        this.workingDir = workingDir;
    }

    List<Completions.Suggestion> complete(String partial) {
        int slash = partial.lastIndexOf('/');
        String dirText = partial.substring(0, slash + 1);
        String namePrefix = partial.substring(slash + 1);
        Path dir = resolve(dirText);
        List<Completions.Suggestion> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && !namePrefix.startsWith(".")) {
                    continue;
                }
                boolean folder = Files.isDirectory(p);
                out.add(new Completions.Suggestion(dirText + name + (folder ? "/" : ""), null, !folder));
                if (out.size() >= MAX) {
                    break;
                }
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        out.sort((a, b) -> a.value().compareTo(b.value()));
        return out;
    }

    private Path resolve(String dirText) {
        if (dirText.startsWith("~/") || dirText.equals("~")) {
            return Path.of(System.getProperty("user.home")).resolve(dirText.substring(Math.min(2, dirText.length())));
        }
        if (dirText.isEmpty()) {
            return workingDir;
        }
        return workingDir.resolve(dirText);
    }
}
