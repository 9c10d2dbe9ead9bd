package dev.llmplan.format;

import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.LlmplanException;

import java.util.Locale;

/** Human units for tables: GiB (2^30, the default) or GB (10^9). JSON always carries bytes. */
public enum Units {
    GIB("GiB", Bytes.GIB), GB("GB", 1_000_000_000L);

    private final String symbol;
    private final long divisor;

    Units(String symbol, long divisor) {
        this.symbol = symbol;
        this.divisor = divisor;
    }

    public String symbol() {
        return symbol;
    }

    public double of(Bytes b) {
        return b.value() / (double) divisor;
    }

    public double of(long bytes) {
        return bytes / (double) divisor;
    }

    /** "65.19 GiB"; large values keep three significant figures or more. */
    public String format(Bytes b) {
        return number(of(b)) + " " + symbol;
    }

    public String format(long bytes) {
        return (bytes < 0 ? "-" : "") + number(Math.abs(of(bytes))) + " " + symbol;
    }

    public static String number(double v) {
        if (v >= 1e6) {
            return Fmt.format("%,.0f", v);
        }
        if (v >= 100) {
            return Fmt.format("%.1f", v);
        }
        return Fmt.format("%.2f", v);
    }

    public static Units parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "gib", "binary", "iec" -> GIB;
            case "gb", "decimal", "si" -> GB;
            default -> throw LlmplanException.invalid("unknown units '" + text + "': expected gib or gb");
        };
    }
}
