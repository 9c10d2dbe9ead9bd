package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.Printable;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory sizes on the command line: {@code 64GiB}, {@code 512MiB}, {@code 64GB} (10^9), bare numbers are GiB. */
public final class ByteSize {
    private static final Pattern P = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]i?b?|b)?");

    private ByteSize() {
    }

    public static Bytes parse(String text, String option) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = P.matcher(t);
        if (!m.matches()) {
            throw LlmplanException.invalid(option + " '" + Printable.of(text) + "' is not a size: expected e.g. 64GiB, 512MiB or 32GB");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "gib" : m.group(2);
        double factor = switch (unit) {
            case "b" -> 1;
            case "k", "ki", "kib" -> Bytes.KIB;
            case "m", "mi", "mib" -> Bytes.MIB;
            case "g", "gi", "gib" -> Bytes.GIB;
            case "t", "ti", "tib" -> Bytes.GIB * 1024.0;
            case "kb" -> 1e3;
            case "mb" -> 1e6;
            case "gb" -> 1e9;
            case "tb" -> 1e12;
            default -> throw LlmplanException.invalid(option + " '" + Printable.of(text) + "' has an unknown unit");
        };
        double bytes = v * factor;
        if (bytes > 0x1p60) {
            throw LlmplanException.invalid(option + " '" + Printable.of(text) + "' is too large");
        }
        return Bytes.ofDouble(bytes);
    }
}
