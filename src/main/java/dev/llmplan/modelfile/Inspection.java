package dev.llmplan.modelfile;

import java.util.List;
import java.util.Map;

/**
 * What was read from a model's files, for {@code llmplan inspect}: the files and their sizes, the
 * tensor totals per storage type, and selected metadata.
 *
 * @param kind        "safetensors", "gguf" or "config" (config.json alone: derived, not exact)
 * @param files       every file read, with its size in bytes
 * @param typeTotals  tensors, elements and bytes per dtype / ggml type (empty for config only)
 * @param tensorCount tensors over all files
 * @param metadata    a few scalar facts (format version, GGUF general.* keys, safetensors metadata)
 */
public record Inspection(String kind, List<FileEntry> files, List<TypeTotal> typeTotals, long tensorCount,
                         Map<String, Object> metadata) {

    public record FileEntry(String path, long bytes) {
    }

    public Inspection {
        files = List.copyOf(files);
        typeTotals = List.copyOf(typeTotals);
        metadata = Map.copyOf(metadata);
    }

    public long fileBytes() {
        return files.stream().mapToLong(FileEntry::bytes).sum();
    }
}
