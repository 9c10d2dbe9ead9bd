package dev.llmplan.shell;

/** The few ANSI SGR codes the shell itself uses: a bold prompt and red error lines. */
final class Styler {
    static final String RESET = "\u001b[0m";
    static final String RED = "\u001b[31m";
    static final String BOLD = "\u001b[1m";

    private Styler() {
    }

    /** A whole stderr line in red (empty lines stay empty). */
    static String red(String line) {
        return line.isEmpty() ? line : RED + line + RESET;
    }
}
