package dev.llmplan.planfile;

/**
 * A key a plan entry accepts besides name, model and requirements: the section that holds it
 * ({@code workload} or {@code hardware}), its name and the shape of its value. The request layer
 * derives the list from its option table, so plan files accept exactly the command line's settings.
 */
public record PlanKey(String section, String key, ValueType type) {
    /** The shape of a value as YAML gives it. */
    public enum ValueType {
        /** free text or an id (numbers are read as their text). */
        TEXT,
        /** a whole number of at least 1. */
        INTEGER,
        /** a token count: 4096 or "8k". */
        TOKENS,
        /** true/false or on/off. */
        ON_OFF,
        /** a comma-separated string or a YAML list of strings. */
        LIST
    }
}
