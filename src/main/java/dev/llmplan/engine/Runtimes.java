package dev.llmplan.engine;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The registered runtime profiles, in the order users see them. A new runtime is one class and one line here. */
public final class Runtimes {
    private static final List<Runtime> ALL = List.of(
            Runtime.TRANSFORMERS,
            Runtime.AUTOAWQ,
            Runtime.VLLM,
            Runtime.LLAMA_CPP,
            Runtime.GENERIC);

    private Runtimes() {
    }

    public static List<Runtime> all() {
        return ALL;
    }

    /**
     * The runtime {@code text} names: its id ignoring case, dots and dashes ("llama-cpp", "llamacpp"),
     * or one of its aliases (dashes read as underscores).
     */
    public static Runtime parse(String text) {
        int at = text.indexOf('@');
        if (at >= 0) {
            return parse(text.substring(0, at)).withVersion(RuntimeVersion.parse(text.substring(at + 1)));
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Runtime r : ALL) {
            if (r.id().equals(t) || squash(r.id()).equals(squash(t)) || r.aliases().contains(t.replace('-', '_'))) {
                return r;
            }
        }
        throw LlmplanException.invalid("unknown runtime '" + Printable.of(text) + "': expected one of " + ids());
    }

    /** The ids joined by ", ". */
    public static String ids() {
        return ALL.stream().map(Runtime::id).collect(Collectors.joining(", "));
    }

    /** The ids as alternatives: "transformers, autoawq, vllm, llama.cpp or generic". */
    public static String alternatives() {
        return Ids.alternatives(ALL.toArray(new Runtime[0]), Runtime::id);
    }

    /** The runtime a user of {@code format} most likely runs: the first that claims it. */
    public static Runtime defaultFor(WeightFormat format) {
        for (Runtime r : ALL) {
            if (r.runsByDefault(format)) {
                return r;
            }
        }
        return Runtime.GENERIC;
    }

    private static String squash(String s) {
        return s.replace("-", "").replace(".", "");
    }
}
