package dev.llmplan.shell;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.UnaryOperator;

/** A writer that passes each complete line through a styling function before the terminal sees it. */
final class StyledWriter extends Writer {
    private final PrintWriter target;
    private final UnaryOperator<String> style;
    private final StringBuilder line = new StringBuilder();

    StyledWriter(PrintWriter target, UnaryOperator<String> style) {
        this.target = target;
        this.style = style;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                target.write(style.apply(line.toString()));
                target.write('\n');
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
    }

    @Override
    public synchronized void flush() {
        if (line.length() > 0) {
            target.write(style.apply(line.toString()));
            line.setLength(0);
        }
        target.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
