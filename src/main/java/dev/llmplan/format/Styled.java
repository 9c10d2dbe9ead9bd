package dev.llmplan.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text with styled spans: verdicts, bars and headings are marked where the renderer writes them, so a
 * colour terminal can show them in colour and everything else prints the same text plain.
 */
public final class Styled {
    /** What a span means; the terminal decides how that looks. */
    public enum Style {
        /** a good outcome: fits, pass. */
        GOOD,
        /** a warning: tight. */
        WARN,
        /** a failure: does not fit, over, FAIL. */
        BAD,
        /** a bar chart. */
        BAR
    }

    private record Span(int start, int end, Style style) {
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Span> spans = new ArrayList<>();

    public Styled append(Object o) {
        if (o instanceof Styled s) {
            int offset = text.length();
            text.append(s.text);
            for (Span span : s.spans) {
                spans.add(new Span(span.start + offset, span.end + offset, span.style));
            }
        } else {
            text.append(o);
        }
        return this;
    }

    public Styled append(char c) {
        text.append(c);
        return this;
    }

    public Styled append(String s, Style style) {
        int start = text.length();
        text.append(s);
        if (style != null && !s.isEmpty()) {
            spans.add(new Span(start, text.length(), style));
        }
        return this;
    }

    public int length() {
        return text.length();
    }

    public boolean isEmpty() {
        return text.length() == 0;
    }

    /** The style a verdict or outcome word carries. */
    public static Style outcome(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "fits", "pass", "ok" -> Style.GOOD;
            case "tight" -> Style.WARN;
            case "does not fit", "over", "fail" -> Style.BAD;
            default -> null;
        };
    }

    /** One styled word, for a table cell. */
    public static Styled of(String s, Style style) {
        return new Styled().append(s, style);
    }

    /** A verdict word styled by its meaning. */
    public static Styled verdict(String word) {
        return of(word, outcome(word));
    }

    /** The text alone. */
    public String plain() {
        return text.toString();
    }

    /** The text with ECMA-48 SGR colours: bold green, bold yellow, bold red, cyan bars. */
    public String ansi() {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Span s : spans) {
            out.append(text, at, s.start).append(sgr(s.style)).append(text, s.start, s.end).append(RESET);
            at = s.end;
        }
        return out.append(text, at, text.length()).toString();
    }

    static final String RESET = "\u001b[0m";

    private static String sgr(Style style) {
        return switch (style) {
            case GOOD -> "\u001b[1m\u001b[32m";
            case WARN -> "\u001b[1m\u001b[33m";
            case BAD -> "\u001b[1m\u001b[31m";
            case BAR -> "\u001b[36m";
        };
    }

    @Override
    public String toString() {
        return plain();
    }
}
