package dev.llmplan.modelfile;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * One tensor as a weight file describes it: its name, storage type (a safetensors dtype such as
 * "BF16" or a ggml type such as "q4_k"), shape, element count and exact stored bytes.
 */
public record TensorEntry(String name, String type, List<Long> shape, long elements, long bytes) {
    public TensorEntry {
        shape = shape instanceof Dims ? shape : List.copyOf(shape);
    }

    /** An entry whose shape is kept as primitive longs: a model may list hundreds of thousands of tensors. */
    static TensorEntry of(String name, String type, long[] dims, long elements, long bytes) {
        return new TensorEntry(name, type, new Dims(dims.clone()), elements, bytes);
    }

    /** An unmodifiable list over a long[]: about 40 bytes per shape instead of a boxed list's 100. */
    private static final class Dims extends AbstractList<Long> implements RandomAccess {
        private final long[] dims;

        Dims(long[] dims) {
            this.dims = dims;
        }

        @Override
        public Long get(int index) {
            return dims[index];
        }

        @Override
        public int size() {
            return dims.length;
        }
    }
}
