package dev.llmplan.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The value of a number written in YAML. The reader resolves plain scalars as YAML 1.1 does
 * (yaml.org/type/int.html, yaml.org/type/float.html): {@code 1_000}, {@code 0x10}, {@code 0b101},
 * {@code +12}, {@code 1.5e3}, {@code .inf}, {@code .nan}. YAML 1.2's core schema adds {@code 0o17}
 * (which 1.1 reads as a string). Where the two versions disagree — {@code 017} is octal 15 in 1.1 and
 * decimal 17 in 1.2 — the value is refused rather than guessed. No llmplan field takes an infinite or
 * undefined value, so {@code .inf} and {@code .nan} are refused too. Digits are ASCII only.
 */
public final class YamlNumbers {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
    private static final Pattern HEX = Pattern.compile("[-+]?0x[0-9a-fA-F_]+");
    private static final Pattern BINARY = Pattern.compile("[-+]?0b[01_]+");
    private static final Pattern OCTAL_1_2 = Pattern.compile("[-+]?0o[0-7_]+");
    private static final Pattern LEADING_ZERO = Pattern.compile("[-+]?0[0-9_]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern SPECIAL = Pattern.compile("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    /** Written forms beyond this are not numbers a person types; keeps BigInteger/BigDecimal work tiny. */
    private static final int MAX_DIGITS = 64;

    private YamlNumbers() {
    }

    /** A number that is not accepted, with the reason (the caller adds file, line and field). */
    public static final class NotANumber extends Exception {
        NotANumber(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether {@code text} is YAML 1.2's {@code 0o} octal, which the 1.1 reader hands over as a string. */
    public static boolean isOctal12(String text) {
        return text != null && OCTAL_1_2.matcher(text).matches();
    }

    /** The integer {@code text} denotes; {@code text} is a plain scalar the reader typed as an integer. */
    public static BigInteger integer(String text) throws NotANumber {
        if (text == null || text.length() > MAX_DIGITS) {
            throw new NotANumber("is not a number llmplan reads: " + shorten(text));
        }
        if (DECIMAL.matcher(text).matches()) {
            return new BigInteger(clean(text));
        }
        if (HEX.matcher(text).matches()) {
            return radix(text, "0x", 16);
        }
        if (BINARY.matcher(text).matches()) {
            return radix(text, "0b", 2);
        }
        if (OCTAL_1_2.matcher(text).matches()) {
            return radix(text, "0o", 8);
        }
        if (LEADING_ZERO.matcher(text).matches()) {
            String t = clean(text);
            String sign = t.startsWith("-") ? "-" : "";
            String digits = t.substring(sign.length()).replaceFirst("^0+(?=.)", "");
            throw new NotANumber("'" + text + "' is ambiguous: YAML 1.1 reads a leading 0 as octal, YAML 1.2 as decimal;"
                    + " write " + sign + digits + " (decimal) or " + sign + "0o" + digits + " (octal)");
        }
        throw new NotANumber("is not a whole number: " + shorten(text));
    }

    /** The finite value {@code text} denotes; {@code text} is a plain scalar typed as an integer or a float. */
    public static double decimal(String text) throws NotANumber {
        if (text == null || text.length() > MAX_DIGITS) {
            throw new NotANumber("is not a number llmplan reads: " + shorten(text));
        }
        if (SPECIAL.matcher(text).matches()) {
            throw new NotANumber("must be a finite number, got " + text);
        }
        double v;
        boolean integerForm = HEX.matcher(text).matches() || BINARY.matcher(text).matches()
                || OCTAL_1_2.matcher(text).matches() || LEADING_ZERO.matcher(text).matches();
        if (!integerForm && FLOAT.matcher(text).matches()) {
            try {
                v = new BigDecimal(clean(text)).doubleValue();
            } catch (NumberFormatException e) {
                throw new NotANumber("is out of range: " + text); // an exponent beyond an int
            }
        } else {
            v = integer(text).doubleValue();
        }
        if (!Double.isFinite(v)) {
            throw new NotANumber("is out of range: " + text);
        }
        return v;
    }

    private static BigInteger radix(String text, String prefix, int radix) throws NotANumber {
        String t = clean(text);
        boolean negative = t.startsWith("-");
        String digits = t.substring(t.indexOf(prefix) + prefix.length());
        if (digits.isEmpty()) {
            throw new NotANumber("is not a whole number: " + text);
        }
        BigInteger v = new BigInteger(digits, radix);
        return negative ? v.negate() : v;
    }

    /** YAML 1.1 allows '_' between digits as a separator; a leading '+' is allowed too. */
    private static String clean(String text) {
        String t = text.replace("_", "");
        return t.startsWith("+") ? t.substring(1) : t;
    }

    private static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > MAX_DIGITS ? text.substring(0, MAX_DIGITS) + "..." : text;
    }
}
