package dev.llmplan.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Token counts such as {@code 4096}, {@code 8k} (8192) or {@code 1m} (1048576): k and m are binary, as in "128k context". */
public final class Tokens {
    /** Beyond any model's context; keeps token arithmetic far from overflow. */
    public static final long MAX = 1L << 34;
    private static final Pattern P = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([km]?)");

    private Tokens() {
    }

    public static int parse(String text, String option) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = P.matcher(t);
        if (!m.matches()) {
            throw LlmplanException.invalid(option + " '" + Printable.of(text) + "' is not a token count: expected e.g. 4096, 8k or 128k");
        }
        double v = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
            case "k" -> 1024;
            case "m" -> 1024 * 1024;
            default -> 1;
        };
        if (v < 1 || v != Math.rint(v)) {
            throw LlmplanException.invalid(option + " '" + Printable.of(text) + "' must be a positive whole number of tokens");
        }
        if (v > Integer.MAX_VALUE) {
            throw LlmplanException.invalid(option + " '" + Printable.of(text) + "' is above the supported maximum of " + Integer.MAX_VALUE);
        }
        return (int) v;
    }
}
