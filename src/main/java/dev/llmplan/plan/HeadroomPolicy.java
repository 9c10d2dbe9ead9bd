package dev.llmplan.plan;

import dev.llmplan.engine.ErrorBand;

/**
 * The one definition of "fits", "tight" and "does not fit", used by every command. A card's plan
 * fits when even the high end of the error band leaves {@code margin} of the card free (allocator
 * fragmentation and small buffers not modelled need it); it is tight when only the estimate fits;
 * it does not fit when the estimate itself exceeds the card.
 *
 * @param margin fraction of each card kept free (0.05 by default, {@code --min-headroom})
 */
public record HeadroomPolicy(double margin) {
    /** The default margin: a few percent stay free for the caching allocator (see {@link #margin}). */
    public static final double DEFAULT_MARGIN = 0.05;
    public static final HeadroomPolicy DEFAULT = new HeadroomPolicy(DEFAULT_MARGIN);

    public HeadroomPolicy {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("margin " + margin);
        }
    }

    public Verdict verdict(long capacity, long used, long high) {
        if (used > capacity) {
            return Verdict.DOES_NOT_FIT;
        }
        return high <= capacity * (1 - margin) ? Verdict.FITS : Verdict.TIGHT;
    }

    /** The verdict of {@code used} bytes with the band's high end. */
    public Verdict verdict(long capacity, long used, ErrorBand band) {
        return verdict(capacity, used, band.highOf(used));
    }
}
