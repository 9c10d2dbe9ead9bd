package dev.llmplan.modelfile;

import java.util.List;

/**
 * One tensor as a weight file describes it: its name, storage type (a safetensors dtype such as
 * "BF16" or a ggml type such as "q4_k"), shape, element count and exact stored bytes.
 */
public record TensorEntry(String name, String type, List<Long> shape, long elements, long bytes) {
    public TensorEntry {
        shape = List.copyOf(shape);
    }
}
