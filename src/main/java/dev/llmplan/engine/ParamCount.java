package dev.llmplan.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parameter count such as {@code 70B}, {@code 1.3b}, {@code 350M}, {@code 1.2T}, or a plain
 * integer. {@link #parseSize} also accepts the mixture-of-experts shorthand {@code 8x7B}.
 */
public record ParamCount(long value) {
    /** Far beyond any model, but small enough that bytes per parameter never overflow a long. */
    public static final long MAX = 100_000_000_000_000_000L;

    private static final Pattern SIZE = Pattern.compile(
            "(?:(?<experts>[0-9]{1,9})\\s*[x×]\\s*)?(?<number>[0-9]+(?:\\.[0-9]+)?(?:e[0-9]{1,4})?)\\s*(?<suffix>[a-z]*)");

    public ParamCount {
        if (value <= 0) {
            throw LlmplanException.invalid("a parameter count must be positive, got " + value);
        }
        if (value > MAX) {
            throw LlmplanException.invalid("a parameter count above 1e17 is not supported, got " + value);
        }
    }

    /** A parsed bare size: {@code experts} is 1 for a dense model, N for an {@code Nx} MoE size. */
    public record Size(int experts, ParamCount perExpert) {
        public boolean isMoe() {
            return experts > 1;
        }
    }

    public static ParamCount parse(String text) {
        Size size = parseSize(text);
        if (size.isMoe()) {
            throw LlmplanException.invalid("'" + Printable.of(text) + "' is an expert count; a plain parameter count is expected here");
        }
        return size.perExpert();
    }

    public static Size parseSize(String text) {
        if (text == null || text.isBlank()) {
            throw LlmplanException.invalid("empty size: expected a parameter count such as 7B, 1.3b, 350M or 8x7B");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("-")) {
            throw LlmplanException.invalid("size '" + Printable.of(text) + "' must be positive");
        }
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            if (t.matches("[a-z]+")) {
                throw LlmplanException.invalid("size '" + Printable.of(text) + "' has no number: expected e.g. 7B, 1.3b, 350M");
            }
            throw LlmplanException.invalid("cannot read size '" + Printable.of(text) + "': expected e.g. 7B, 1.3b, 350M, 1.2T or 8x7B");
        }
        double multiplier = switch (m.group("suffix")) {
            case "" -> 1;
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "b", "g" -> 1e9;
            case "t" -> 1e12;
            default -> throw LlmplanException.invalid("size '" + Printable.of(text) + "' has an unknown suffix '"
                    + m.group("suffix").toUpperCase(Locale.ROOT) + "': use K, M, B or T");
        };
        double number = Double.parseDouble(m.group("number"));
        double params = number * multiplier;
        if (params < 1) {
            throw LlmplanException.invalid("size '" + Printable.of(text) + "' must be positive");
        }
        if (params > MAX) {
            throw LlmplanException.invalid("size '" + Printable.of(text) + "' is above the supported maximum of 1e17 parameters");
        }
        int experts = 1;
        if (m.group("experts") != null) {
            experts = Integer.parseInt(m.group("experts"));
            if (experts < 1 || experts > 1_000_000) {
                throw LlmplanException.invalid("size '" + Printable.of(text) + "': the expert count must be between 1 and 1000000");
            }
        }
        return new Size(experts, new ParamCount(Math.round(params)));
    }

    /** A short human form such as 70B, 6.74B, 350M. */
    public static String humanCount(long v) {
        if (v >= 1e12) {
            return trim(v / 1e12) + "T";
        }
        if (v >= 1e9) {
            return trim(v / 1e9) + "B";
        }
        if (v >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (v >= 1e3) {
            return trim(v / 1e3) + "K";
        }
        return Long.toString(v);
    }

    private static String trim(double x) {
        String s = x >= 100 ? Fmt.format("%.0f", x)
                : x >= 10 ? Fmt.format("%.1f", x) : Fmt.format("%.2f", x);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
