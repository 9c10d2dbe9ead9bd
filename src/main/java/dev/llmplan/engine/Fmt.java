package dev.llmplan.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Formattable;
import java.util.Locale;

/**
 * {@code String.format(Locale.ROOT, ...)} for the conversions llmplan's texts use, without
 * java.util.Formatter: %s, %d, %x, %f, %g, %% and %n with the flags '-', '0' and ',', a width and a
 * precision. Formatter costs about 20 ms the first time it formats a number (it loads the locale's
 * symbols) and a fraction of a millisecond a call before the JIT compiles it; every estimate writes its
 * formulas with it, so it was about a third of a one-shot run (README "Start-up"). Anything else (an
 * argument index, another conversion or argument type) goes to String.format, so the result is always
 * String.format's. Numbers follow Formatter: the digits of Double.toString, rounded half up.
 */
public final class Fmt {
    private Fmt() {
    }

    /** The same text as {@code String.format(Locale.ROOT, pattern, args)}. */
    public static String format(String pattern, Object... args) {
        StringBuilder out = new StringBuilder(pattern.length() + 16 * args.length);
        int next = 0;
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char ch = pattern.charAt(i);
            if (ch != '%') {
                out.append(ch);
                i++;
                continue;
            }
            // %[flags][width][.precision]conversion
            int j = i + 1;
            boolean left = false;
            boolean zero = false;
            boolean group = false;
            while (j < n && "-0,".indexOf(pattern.charAt(j)) >= 0) {
                char f = pattern.charAt(j);
                if ((f == '-' && left) || (f == '0' && zero) || (f == ',' && group)) {
                    return fallback(pattern, args); // a repeated flag: Formatter's error
                }
                left |= f == '-';
                zero |= f == '0';
                group |= f == ',';
                j++;
            }
            int width = -1;
            int start = j;
            while (j < n && Character.isDigit(pattern.charAt(j))) {
                j++;
            }
            if (j > start) {
                if (j - start > 6) {
                    return fallback(pattern, args);
                }
                width = Integer.parseInt(pattern, start, j, 10);
            }
            int precision = -1;
            if (j < n && pattern.charAt(j) == '.') {
                int p = ++j;
                while (j < n && Character.isDigit(pattern.charAt(j))) {
                    j++;
                }
                if (j == p || j - p > 6) {
                    return fallback(pattern, args);
                }
                precision = Integer.parseInt(pattern, p, j, 10);
            }
            if (j >= n) {
                return fallback(pattern, args);
            }
            char conversion = pattern.charAt(j);
            i = j + 1;
            if (conversion == '%' || conversion == 'n') {
                if (precision >= 0 || group || zero || (conversion == 'n' && (left || width >= 0))
                        || (left && width < 0)) {
                    return fallback(pattern, args);
                }
                out.append(pad(conversion == '%' ? "%" : System.lineSeparator(), width, left));
                continue;
            }
            if (next >= args.length || (left && width < 0) || (left && zero) || (zero && width < 0)) {
                return fallback(pattern, args);
            }
            Object arg = args[next++];
            String text;
            switch (conversion) {
                case 's' -> {
                    if (group || zero || precision >= 0 || arg instanceof Formattable) {
                        return fallback(pattern, args);
                    }
                    text = String.valueOf(arg);
                }
                case 'd' -> {
                    if (precision >= 0 || !isInteger(arg)) {
                        return fallback(pattern, args);
                    }
                    text = integer(arg.toString(), group, zero ? width : -1);
                }
                case 'x' -> {
                    if (precision >= 0 || group) {
                        return fallback(pattern, args);
                    }
                    if (arg instanceof Integer v) {
                        text = Integer.toHexString(v);
                    } else if (arg instanceof Long v) {
                        text = Long.toHexString(v);
                    } else {
                        return fallback(pattern, args);
                    }
                    text = zero ? zeros(text, width) : text;
                }
                case 'f', 'g' -> {
                    if (!(arg instanceof Double || arg instanceof Float) || (conversion == 'g' && group)) {
                        return fallback(pattern, args);
                    }
                    double v = ((Number) arg).doubleValue();
                    text = conversion == 'f' ? fixed(v, precision < 0 ? 6 : precision, group, zero ? width : -1)
                            : general(v, precision < 0 ? 6 : Math.max(precision, 1), zero ? width : -1);
                }
                default -> {
                    return fallback(pattern, args);
                }
            }
            out.append(pad(text, width, left));
        }
        return out.toString();
    }

    private static String fallback(String pattern, Object[] args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private static boolean isInteger(Object arg) {
        return arg instanceof Integer || arg instanceof Long || arg instanceof Short || arg instanceof Byte
                || arg instanceof BigInteger;
    }

    private static String pad(String text, int width, boolean left) {
        if (text.length() >= width) {
            return text;
        }
        String spaces = " ".repeat(width - text.length());
        return left ? text + spaces : spaces + text;
    }

    /** Zeros after the sign up to {@code width} (the '0' flag), or the text itself. */
    private static String zeros(String text, int width) {
        if (width < 0 || text.length() >= width) {
            return text;
        }
        int sign = text.startsWith("-") ? 1 : 0;
        return text.substring(0, sign) + "0".repeat(width - text.length()) + text.substring(sign);
    }

    /** A decimal integer's text, grouped by thousands and zero-padded as asked. */
    private static String integer(String digits, boolean group, int zeroWidth) {
        return zeros(group ? grouped(digits) : digits, zeroWidth);
    }

    /** Commas every three digits of the integer part ("-1234567.5" to "-1,234,567.5"). */
    private static String grouped(String number) {
        int sign = number.startsWith("-") ? 1 : 0;
        int dot = number.indexOf('.');
        int end = dot < 0 ? number.length() : dot;
        StringBuilder sb = new StringBuilder(number.length() + 8).append(number, 0, sign);
        for (int k = sign; k < end; k++) {
            if (k > sign && (end - k) % 3 == 0) {
                sb.append(',');
            }
            sb.append(number.charAt(k));
        }
        return sb.append(number, end, number.length()).toString();
    }

    /** The sign Formatter writes: '-' for a negative number and for -0.0. */
    private static boolean negative(double v) {
        return Double.compare(v, 0.0) < 0;
    }

    /** %.Nf: Double.toString's digits rounded half up to N places. */
    private static String fixed(double v, int places, boolean group, int zeroWidth) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "NaN" : negative(v) ? "-Infinity" : "Infinity";
        }
        String digits = new BigDecimal(Double.toString(Math.abs(v))).setScale(places, RoundingMode.HALF_UP).toPlainString();
        String text = (negative(v) ? "-" : "") + digits;
        return zeros(group ? grouped(text) : text, zeroWidth);
    }

    /** %.Pg: P significant digits, in decimal form from 1e-4 up to 10^P and in scientific form outside. */
    private static String general(double v, int precision, int zeroWidth) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "NaN" : negative(v) ? "-Infinity" : "Infinity";
        }
        String sign = negative(v) ? "-" : "";
        if (v == 0.0) {
            return zeros(sign + new BigDecimal(0).setScale(precision - 1).toPlainString(), zeroWidth);
        }
        BigDecimal rounded = new BigDecimal(Double.toString(Math.abs(v))).round(new MathContext(precision, RoundingMode.HALF_UP));
        int exponent = rounded.precision() - rounded.scale() - 1;
        String text;
        if (exponent >= -4 && exponent < precision) {
            text = rounded.setScale(precision - 1 - exponent, RoundingMode.HALF_UP).toPlainString();
        } else {
            String mantissa = rounded.movePointLeft(exponent).setScale(precision - 1, RoundingMode.HALF_UP).toPlainString();
            String e = Integer.toString(Math.abs(exponent));
            text = mantissa + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return zeros(sign + text, zeroWidth);
    }
}
