package dev.llmplan.engine;

/**
 * An exact, non-negative number of bytes. Arithmetic fails loudly instead of overflowing,
 * so an absurd input gives a clear error rather than a wrapped or negative size.
 */
public record Bytes(long value) implements Comparable<Bytes> {
    public static final Bytes ZERO = new Bytes(0);
    public static final long KIB = 1024L;
    public static final long MIB = 1024L * 1024;
    public static final long GIB = 1024L * 1024 * 1024;

    public Bytes {
        if (value < 0) {
            throw new IllegalArgumentException("negative byte count: " + value);
        }
    }

    public static Bytes of(long value) {
        return new Bytes(value);
    }

    public static Bytes mib(double mib) {
        return ofDouble(mib * MIB);
    }

    public static Bytes gib(double gib) {
        return ofDouble(gib * GIB);
    }

    /** Rounds a computed (possibly fractional) byte count up; rejects values beyond 8 EiB. */
    public static Bytes ofDouble(double value) {
        if (Double.isNaN(value) || value < 0) {
            throw new IllegalArgumentException("invalid byte count: " + value);
        }
        if (value >= 0x1p63) {
            throw LlmplanException.invalid("the estimate exceeds 8 EiB (2^63 bytes); the input is beyond what can be planned");
        }
        return new Bytes((long) Math.ceil(value));
    }

    public Bytes plus(Bytes other) {
        try {
            return new Bytes(Math.addExact(value, other.value));
        } catch (ArithmeticException e) {
            throw tooLarge();
        }
    }

    public Bytes minusOrZero(Bytes other) {
        return new Bytes(Math.max(0, value - other.value));
    }

    public Bytes times(double factor) {
        return ofDouble(value * factor);
    }

    public double gib() {
        return value / (double) GIB;
    }

    public double gb() {
        return value / 1e9;
    }

    public boolean isZero() {
        return value == 0;
    }

    @Override
    public int compareTo(Bytes other) {
        return Long.compare(value, other.value);
    }

    private static LlmplanException tooLarge() {
        return LlmplanException.invalid("the estimate exceeds 8 EiB (2^63 bytes); the input is beyond what can be planned");
    }

    @Override
    public String toString() {
        return value + " B";
    }
}
