package dev.llmplan.engine;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looking up an option enum's constant by its command-line id, with the usage error that lists the ids. */
final class Ids {
    private Ids() {
    }

    /**
     * The constant whose id equals {@code key} (the user's {@code text} after normalising and aliases);
     * otherwise a usage error "unknown WHAT 'TEXT': expected EXPECTED".
     */
    static <E> E parse(E[] values, Function<E, String> id, String key, String text, String what, String expected) {
        for (E e : values) {
            if (id.apply(e).equals(key)) {
                return e;
            }
        }
        throw LlmplanException.invalid("unknown " + what + " '" + Printable.of(text) + "': expected " + expected);
    }

    /** As above, expecting any of the ids ("a, b or c"). */
    static <E> E parse(E[] values, Function<E, String> id, String key, String text, String what) {
        return parse(values, id, key, text, what, alternatives(values, id));
    }

    /** The ids joined by ", ": "a, b, c". */
    static <E> String list(E[] values, Function<E, String> id) {
        return Arrays.stream(values).map(id).collect(Collectors.joining(", "));
    }

    /** The ids as alternatives: "a, b or c". */
    static <E> String alternatives(E[] values, Function<E, String> id) {
        String all = list(values, id);
        int last = all.lastIndexOf(", ");
        return last < 0 ? all : all.substring(0, last) + " or " + all.substring(last + 2);
    }
}
