package dev.llmplan.modelfile;

import java.util.Arrays;
import java.util.List;

/**
 * The duplicate-name check, done by sorting an array of the names (4 bytes a tensor) rather than through a
 * hash set (about 45 bytes a tensor): a model may list hundreds of thousands of tensors.
 */
final class TensorNames {
    private TensorNames() {
    }

    /** Throws a corrupt-file error naming the first tensor name that appears twice in {@code tensors}. */
    static void requireUnique(List<TensorEntry> tensors, String where, String context) {
        String[] names = new String[tensors.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = tensors.get(i).name();
        }
        Arrays.sort(names);
        for (int i = 1; i < names.length; i++) {
            if (names[i].equals(names[i - 1])) {
                throw Corrupt.file(where, "tensor '" + names[i] + "' appears twice " + context);
            }
        }
    }
}
