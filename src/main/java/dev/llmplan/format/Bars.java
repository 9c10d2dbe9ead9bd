package dev.llmplan.format;

/** Terminal bar charts for the memory breakdown. */
public final class Bars {
    private static final int WIDTH = 24;

    private Bars() {
    }

    /** A bar of {@code fraction} (0..1) of {@link #WIDTH} cells, with eighth-cell resolution. */
    public static String bar(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        int eighths = (int) Math.round(f * WIDTH * 8);
        StringBuilder sb = new StringBuilder();
        sb.append("█".repeat(eighths / 8));
        int rest = eighths % 8;
        if (rest > 0) {
            sb.append("▏▎▍▌▋▊▉".charAt(rest - 1));
        }
        return sb.toString();
    }
}
