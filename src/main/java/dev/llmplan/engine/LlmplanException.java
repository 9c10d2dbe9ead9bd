package dev.llmplan.engine;

/** Base of every error the tool reports as one line with a documented exit code. */
public class LlmplanException extends RuntimeException {
    /** Exit code 2: the command line or a workload option is wrong. */
    public static final int USAGE = 2;
    /** Exit code 3: bad data (unknown model or GPU, invalid catalog, plan or model file). */
    public static final int BAD_DATA = 3;

    private final int exitCode;

    public LlmplanException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static LlmplanException usage(String message) {
        return new LlmplanException(USAGE, message);
    }

    public static LlmplanException badData(String message) {
        return new LlmplanException(BAD_DATA, message);
    }
}
