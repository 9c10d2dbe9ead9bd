package dev.llmplan.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of one kind (models, GPUs or systems) by id, in catalog order. Entries of the compiled
 * built-in catalog are decoded on first use, so a command that needs one model decodes one model.
 */
final class Entries<T> {
    /** Decodes the entry at a position in catalog order. */
    interface Decoder<T> {
        T decode(int position);
    }

    private final List<String> ids;
    private final Map<String, Integer> positions;
    private final Object[] values;
    private final Decoder<T> decoder;
    private List<T> all;

    private Entries(List<String> ids, Object[] values, Decoder<T> decoder) {
        this.ids = Collections.unmodifiableList(ids);
        this.positions = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            positions.put(ids.get(i), i);
        }
        this.values = values;
        this.decoder = decoder;
    }

    /** Entries already decoded (parsed YAML), in the map's order. */
    static <T> Entries<T> of(Map<String, T> byId) {
        return new Entries<>(new ArrayList<>(byId.keySet()), byId.values().toArray(), null);
    }

    /** Entries with these ids, each decoded by {@code decoder} when first asked for. */
    static <T> Entries<T> lazy(List<String> ids, Decoder<T> decoder) {
        return new Entries<>(new ArrayList<>(ids), new Object[ids.size()], decoder);
    }

    List<String> ids() {
        return ids;
    }

    int size() {
        return ids.size();
    }

    /** The entry with this exact id, or null. */
    T get(String id) {
        Integer i = id == null ? null : positions.get(id);
        return i == null ? null : at(i);
    }

    /** Every entry in catalog order (decoding those not yet decoded). */
    List<T> all() {
        if (all == null) {
            List<T> list = new ArrayList<>(values.length);
            for (int i = 0; i < values.length; i++) {
                list.add(at(i));
            }
            all = Collections.unmodifiableList(list);
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private synchronized T at(int i) {
        Object v = values[i];
        if (v == null) {
            v = decoder.decode(i);
            values[i] = v;
        }
        return (T) v;
    }
}
