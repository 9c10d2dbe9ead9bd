package dev.llmplan.request;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Printable;
import dev.llmplan.engine.TrainingOptions;
import dev.llmplan.plan.ByteSize;

import java.util.List;
import java.util.Locale;

/**
 * Parsers for option values that have no domain type of their own. {@code subject} names the setting
 * in messages, usually as a {@code {key}} reference that each front end spells its own way.
 */
public final class ValueParsers {
    /** A batch, rank or count above this is a typo, and keeps products of counts far from overflow. */
    public static final int MAX_COUNT = 100_000_000;

    private ValueParsers() {
    }

    /** A whole number in [1, 100,000,000], ASCII digits only. */
    public static int positiveInt(String text, String subject) {
        String t = text.trim();
        if (!t.matches("[+-]?[0-9]{1,18}")) {
            throw LlmplanException.invalid(subject + " '" + text + "' is not a whole number");
        }
        long v = Long.parseLong(t);
        if (v < 1 || v > MAX_COUNT) {
            throw LlmplanException.invalid(subject + " must be between 1 and " + MAX_COUNT + ", got " + text);
        }
        return (int) v;
    }

    /** A whole number in [0, 100,000,000]: a count where none is meaningful (llama.cpp's -ngl 0). */
    public static int count(String text, String subject) {
        String t = text.trim();
        if (t.matches("[+]?0+")) {
            return 0;
        }
        if (t.matches("-[0-9]+")) {
            throw LlmplanException.invalid(subject + " must be 0 or more, got " + text);
        }
        return positiveInt(text, subject);
    }

    /** A bandwidth in GB/s above zero: 89.6, or 89.6GB/s. */
    public static double gbPerSecond(String text, String subject) {
        String t = text.trim().replaceFirst("(?i)\\s*gb/?s$", "");
        double v = number(t, text, subject);
        if (!(v > 0 && v <= 1_000_000)) {
            throw LlmplanException.invalid(subject + " must be above 0 GB/s (and at most 1,000,000), got " + Printable.of(text));
        }
        return v;
    }

    public static boolean onOff(String text, String subject) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw LlmplanException.invalid(subject + " expects on or off, got '" + text + "'");
        };
    }

    /** ZeRO stage 0-3; {@code fsdp} is stage 3 (full sharding). */
    public static int zeroStage(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("fsdp")) {
            return TrainingOptions.FSDP_STAGE;
        }
        if (List.of("0", "1", "2", "3").contains(t)) {
            return Integer.parseInt(t);
        }
        throw LlmplanException.invalid("{zero} expects 0, 1, 2, 3 or fsdp, got '" + text + "'");
    }

    /**
     * A fraction in (0, 1): 0.45, or 45% with the sign. A bare number of 1 or more is refused rather
     * than guessed: "--mfu 1" could mean 100% or 1%.
     */
    public static double fraction(String text, String subject) {
        String t = text.trim();
        boolean percent = t.endsWith("%");
        double v = number(percent ? t.substring(0, t.length() - 1) : t, text, subject);
        if (!percent && v >= 1) {
            throw LlmplanException.invalid(subject + " is a fraction: write 0.45 or 45%, not " + Printable.of(text));
        }
        double f = percent ? v / 100 : v;
        if (!(f > 0 && f <= 1)) {
            throw LlmplanException.invalid(subject + " must be above 0 and at most 1 (100%), got " + Printable.of(text));
        }
        return f;
    }

    /** A probability in [0, 1): 0, 0.05 or 0.1 (a dropout rate; 1 would drop everything). */
    public static double probability(String text, String subject) {
        double v = number(text.trim(), text, subject);
        if (!(v >= 0 && v < 1)) {
            throw LlmplanException.invalid(subject + " must be at least 0 and below 1, got " + Printable.of(text));
        }
        return v;
    }

    /**
     * A percentage in [0, 100), as a fraction: 10 and 10% both mean 10%. A bare number between 0 and 1
     * is refused rather than guessed: "0.1" could mean 10% or 0.1%.
     */
    public static double percent(String text, String subject) {
        String t = text.trim();
        boolean sign = t.endsWith("%");
        double v = number(sign ? t.substring(0, t.length() - 1) : t, text, subject);
        if (!sign && v > 0 && v < 1) {
            throw LlmplanException.invalid(subject + " is in percent: write " + Math.round(v * 100) + " for "
                    + Math.round(v * 100) + "%, or " + Printable.of(t) + "% if you mean " + Printable.of(t) + " percent");
        }
        if (!(v >= 0 && v < 100)) {
            throw LlmplanException.invalid(subject + " must be at least 0 and below 100 (percent), got " + Printable.of(text));
        }
        return v / 100;
    }

    private static double number(String t, String original, String subject) {
        if (!t.matches("[+-]?[0-9]+(\\.[0-9]+)?")) {
            throw LlmplanException.invalid(subject + " '" + Printable.of(original) + "' is not a number");
        }
        return Double.parseDouble(t);
    }

    /** Host RAM for offload: a size above zero. */
    public static Bytes ram(String text) {
        Bytes b = ByteSize.parse(text, "{ram}");
        if (b.isZero()) {
            throw LlmplanException.invalid("{ram} must be more than 0; leave it out for no offload");
        }
        return b;
    }
}
