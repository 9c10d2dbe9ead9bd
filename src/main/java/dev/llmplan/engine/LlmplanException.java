package dev.llmplan.engine;

/**
 * Base of every error the tool reports as one line. It says what kind of problem it is, not how a
 * process exits: the command layer maps {@link Kind} to an exit code. A message may name a user
 * setting as {@code {key}} (its plan-file key, e.g. {@code {context}}); each front end writes the
 * setting its own way (the CLI as {@code --context}, plan files as {@code context}).
 */
public class LlmplanException extends RuntimeException {
    /** What went wrong, in the domain's terms. */
    public enum Kind {
        /** The request itself is wrong: a value out of range, an impossible combination of settings. */
        INVALID_REQUEST,
        /** The data is wrong or missing: an unknown model or GPU, an invalid catalog, plan or model file. */
        BAD_DATA
    }

    private final Kind kind;

    public LlmplanException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static LlmplanException invalid(String message) {
        return new LlmplanException(Kind.INVALID_REQUEST, message);
    }

    public static LlmplanException badData(String message) {
        return new LlmplanException(Kind.BAD_DATA, message);
    }
}
