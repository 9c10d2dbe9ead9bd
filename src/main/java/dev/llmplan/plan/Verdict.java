package dev.llmplan.plan;

/** Per-card and overall outcome; TIGHT still fits but leaves less than the headroom margin. */
public enum Verdict {
    FITS("fits"), TIGHT("tight"), DOES_NOT_FIT("does not fit");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean fits() {
        return this != DOES_NOT_FIT;
    }

    public Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
