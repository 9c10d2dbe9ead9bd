package dev.llmplan.shell;

import dev.llmplan.cli.Context;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs a shell session on a JLine terminal over in-memory streams: typed input in, terminal output out. */
final class ShellHarness {
    private ShellHarness() {
    }

    record Session(int exitCode, String output) {
    }

    /** Keeps the user's real config directory (and its catalog) out of tests. */
    static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.putIfAbsent("XDG_CONFIG_HOME", System.getProperty("java.io.tmpdir") + "/llmplan-test-config-absent");
        env.putIfAbsent("HF_HUB_OFFLINE", "1");
        env.putIfAbsent("XDG_CACHE_HOME", System.getProperty("java.io.tmpdir") + "/llmplan-test-cache-absent");
        return env;
    }

    static Session run(String typed, Map<String, String> env, Path history) throws IOException {
        return run(typed, env, history, Terminal.TYPE_DUMB);
    }

    static Session run(String typed, Map<String, String> env, Path history, String type) throws IOException {
        Keyboard in = new Keyboard(typed.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // A DumbTerminal reads the stream as typed keys (no line-discipline thread echoing ahead of the reader);
        // its type still decides the capabilities, so "xterm-256color" gives a colour terminal.
        try (Terminal terminal = new DumbTerminal("test", type, in, out, StandardCharsets.UTF_8)) {
            in.attach(terminal);
            Context context = new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), in, env(env));
            int code = new Shell(terminal, context, history).run();
            terminal.flush();
            return new Session(code, out.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Typed keys, one at a time. Ctrl-C (ETX) is not passed on as a byte: as on a real terminal, it becomes
     * a SIGINT delivered to the terminal while the reader waits for the next key.
     */
    static final class Keyboard extends InputStream {
        private final byte[] keys;
        private int next;
        private Terminal terminal;

        Keyboard(byte[] keys) {
            this.keys = keys;
        }

        void attach(Terminal t) {
            this.terminal = t;
        }

        @Override
        public int read() throws IOException {
            while (next < keys.length && keys[next] == 3) {
                next++;
                Terminal t = terminal;
                Thread signal = new Thread(() -> t.raise(Terminal.Signal.INT));
                try {
                    Thread.sleep(50);
                    signal.start();
                    Thread.sleep(2000); // JLine's handler interrupts this wait
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("Ctrl-C");
                }
            }
            if (next >= keys.length) {
                return -1;
            }
            return keys[next++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }
}
