package dev.llmplan.modelfile;

import dev.llmplan.engine.LlmplanException;

import java.nio.file.Path;

/** The one error a malformed model file produces: one line, exit code 3 (bad data). */
final class Corrupt {
    private Corrupt() {
    }

    static LlmplanException file(Path path, String why) {
        return file(path.toString(), why);
    }

    /** {@code where} names the file: a path, or a hub file such as {@code hf:ORG/NAME/model.gguf}. */
    static LlmplanException file(String where, String why) {
        return LlmplanException.badData(where + ": corrupt or unsupported file: " + printable(why));
    }

    /** Names and keys come from the file: keep the message one printable line of bounded length. */
    static String printable(String s) {
        return FileText.clean(s, 300);
    }

    static LlmplanException unreadable(Path path, String why) {
        return unreadable(path.toString(), why);
    }

    static LlmplanException unreadable(String where, String why) {
        return LlmplanException.badData(where + ": cannot read: " + printable(String.valueOf(why)));
    }
}
