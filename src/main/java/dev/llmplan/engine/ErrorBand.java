package dev.llmplan.engine;

/**
 * How far measured peaks fell from the estimate for this kind of estimate: {@code low} and {@code high}
 * are fractions of the estimate ({@code low <= 0 <= high}), taken from the validation residuals of
 * {@code cases} measured runs; {@code basis} names the kind ("transformers inference, 16-bit").
 */
public record ErrorBand(double low, double high, int cases, String basis) {
    /** No band: used where nothing is known about the error (tests, bare engine use). */
    public static final ErrorBand NONE = new ErrorBand(0, 0, 0, "no error band");

    public ErrorBand {
        if (!(low <= 0) || !(high >= 0)) {
            throw new IllegalArgumentException("band must bracket the estimate: " + low + ".." + high);
        }
    }

    public long lowOf(long bytes) {
        return (long) Math.floor(bytes * (1 + low));
    }

    public long highOf(long bytes) {
        return (long) Math.ceil(bytes * (1 + high));
    }

    /** The low end of {@code bytes} of which {@code exact} bytes are known exactly and are not widened. */
    public long lowOf(long bytes, long exact) {
        return exact + lowOf(bytes - exact);
    }

    /** The high end of {@code bytes} of which {@code exact} bytes are known exactly and are not widened. */
    public long highOf(long bytes, long exact) {
        return exact + highOf(bytes - exact);
    }
}
