package dev.llmplan.engine;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Fmt.format gives String.format(Locale.ROOT, ...)'s text, character for character, or its exception. */
class FmtTest {
    /** Every number pattern llmplan's texts use, and some with width and flags. */
    static final List<String> NUMBER_PATTERNS = List.of("%.0f", "%.1f", "%.2f", "%.3f", "%,.0f", "%,.1f", "%,.2f",
            "%.4g", "%.3g", "%.1f%%", "%f", "%g", "%010.2f", "%-9.1f|", "%9.3g", "%.0g", "%,f");

    private static String expected(String pattern, Object... args) {
        try {
            return String.format(Locale.ROOT, pattern, args);
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }

    private static String actual(String pattern, Object... args) {
        try {
            return Fmt.format(pattern, args);
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles(),                                          // any magnitude
                Arbitraries.doubles().between(-2000, 2000).ofScale(4),          // ties at .xx5 and .x5
                Arbitraries.longs().map(Double::longBitsToDouble),              // every bit pattern, NaN included
                Arbitraries.of(0.0, -0.0, 0.5, 2.5, 1.005, 2.675, 9.995, 99.95, 9999.5, 1e-4, 9.9995e-5, 1e7,
                        9.9999995e7, 1e21, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }

    @Property(tries = 3000)
    void numbersAreFormattedAsFormatterDoes(@ForAll("doubles") double v) {
        for (String pattern : NUMBER_PATTERNS) {
            assertThat(actual(pattern, v)).as("%s of %s", pattern, v).isEqualTo(expected(pattern, v));
        }
        assertThat(actual("%.2f", (float) v)).isEqualTo(expected("%.2f", (float) v));
    }

    @Property(tries = 1000)
    void integersAreFormattedAsFormatterDoes(@ForAll long v) {
        for (String pattern : List.of("%d", "%,d", "%08d", "%,012d", "%-7d|", "%x", "%04x")) {
            assertThat(actual(pattern, v)).isEqualTo(expected(pattern, v));
            assertThat(actual(pattern, (int) v)).isEqualTo(expected(pattern, (int) v));
        }
        assertThat(actual("%d", BigInteger.valueOf(v).multiply(BigInteger.TEN.pow(20))))
                .isEqualTo(expected("%d", BigInteger.valueOf(v).multiply(BigInteger.TEN.pow(20))));
        assertThat(actual("%d %d", (short) v, (byte) v)).isEqualTo(expected("%d %d", (short) v, (byte) v));
    }

    @Test
    void textAndEveryOtherPatternMatchIncludingErrors() {
        Object[][] cases = {
                {"%s", null}, {"%s|%-6s|%6s", "a", "b", "c"}, {"%s", List.of(1, 2)}, {"%d%%", 5}, {"a%nb"},
                {"%5%"}, {"x %s y %d z %.2f", "q", 3, 2.0}, {"\\u%04x", 0x1f}, {"%.3s", "abcdef"},
                {"%-d", 5}, {"%0d", 5}, {"%1$s", "a"}, {"%.2d", 5}, {"%q", 5}, {"%", 5}, {"%5", 5}, {"%+d", 5},
                {"%--5d", 5}, {"%s %s", "only one"}, {"%d", 2.0}, {"%f", 2}, {"%,x", 5}, {"%-0,5d", 5},
                {"%.2f", new java.math.BigDecimal("1.005")}, {"%e", 1.5}, {"%,g", 1.5}};
        for (Object[] c : cases) {
            Object[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            assertThat(actual((String) c[0], args)).as((String) c[0]).isEqualTo(expected((String) c[0], args));
        }
    }
}
