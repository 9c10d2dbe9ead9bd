package dev.llmplan.modelfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tensors, elements and bytes stored in one type (one dtype or ggml type) across a model's files. */
public record TypeTotal(String type, long tensors, long elements, long bytes) {

    /** Totals per type, largest byte total first. */
    static List<TypeTotal> of(List<TensorEntry> entries) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (TensorEntry e : entries) {
            long[] s = sums.computeIfAbsent(e.type(), k -> new long[3]);
            s[0]++;
            s[1] = Math.addExact(s[1], e.elements());
            s[2] = Math.addExact(s[2], e.bytes());
        }
        List<TypeTotal> list = new ArrayList<>();
        sums.forEach((type, s) -> list.add(new TypeTotal(type, s[0], s[1], s[2])));
        list.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return list;
    }
}
