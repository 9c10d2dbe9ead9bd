package dev.llmplan.shell;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.cli.Cli;
import dev.llmplan.cli.Context;
import dev.llmplan.engine.LlmplanException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The interactive shell: reads lines with JLine (completion, history, Ctrl-R search) and runs them
 * through {@link LineRunner}. Only this package touches JLine, and only once a shell is opened, so
 * one-shot commands never load it.
 */
public final class Shell {
    static final String PROMPT = "llmplan> ";

    private final Terminal terminal;
    private final Path historyFile;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean colour;
    private final LineRunner runner;
    private final LineReader reader;
    private final Parser parser = new DefaultParser();
    private final Thread catalogWarmup;

    /** Opens the shell on the process's terminal; returns the shell's exit code (0). */
    public static int open(Context context) {
        try (Terminal terminal = TerminalBuilder.builder().name("llmplan").system(true).dumb(true).build()) {
            // Ctrl-C while a command runs is ignored; at the prompt JLine turns it into a cancelled line.
            terminal.handle(Terminal.Signal.INT, Terminal.SignalHandler.SIG_IGN);
            return new Shell(terminal, context, historyPath(context)).run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
    }

    /** The history file, or null (with a note) when its path cannot be represented in this locale. */
    private static Path historyPath(Context context) {
        try {
            return HistoryFile.path(context.env());
        } catch (InvalidPathException e) {
            context.err().println("llmplan shell: history not saved: " + e.getMessage());
            context.err().flush();
            return null;
        }
    }

    private static Path workingDirectory() {
        try {
            return Path.of(System.getProperty("user.dir"));
        } catch (InvalidPathException e) {
            return Path.of(".");
        }
    }

    /** @param historyFile where history is kept, or null for none (tests) */
    Shell(Terminal terminal, Context context, Path historyFile) {
        this.terminal = terminal;
        this.colour = ColourSupport.enabled(context.env(), terminal);
        // Commands mark verdicts and bars themselves (format.Styled); errors are red as a whole.
        this.out = terminal.writer();
        this.err = new PrintWriter(new StyledWriter(terminal.writer(), colour ? Styler::red : line -> line));
        Context session = context.withOutput(out, err, colour);
        // Parse the catalog while the user reads the banner, so the first command and Tab answer quickly.
        this.catalogWarmup = new Thread(() -> loadQuietly(session), "llmplan-catalog");
        catalogWarmup.setDaemon(true);
        catalogWarmup.start();
        CommandSpec root = Cli.create(session).getCommandSpec();
        SessionDefaults defaults = new SessionDefaults(root);
        java.util.function.Supplier<Catalog> catalog = () -> {
            awaitWarmup();
            return loadQuietly(session);
        };
        this.runner = new LineRunner(session, defaults, new ShellBuiltins(defaults, catalog, root));
        this.historyFile = prepareHistory(historyFile);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("llmplan")
                .parser(parser)
                .completer(new ShellCompleter(new Completions(root, catalog, defaults, workingDirectory())))
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (this.historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, this.historyFile);
        }
        this.reader = builder.build();
        limitLineLength(reader);
    }

    /** Set when the line being typed went past {@link LineRunner#MAX_LINE_CHARS}; the line is then refused. */
    private boolean lineTooLong;

    /**
     * JLine handles every key of a pasted megabyte one at a time (binding, widget, redraw: about 10 µs each).
     * Once a line reaches the limit, the rest of it is read straight from the terminal up to the end of the
     * line, unechoed and dropped, and the line is refused when it ends.
     */
    private void limitLineLength(LineReader r) {
        Widget insert = r.getWidgets().get(LineReader.SELF_INSERT);
        r.getWidgets().put(LineReader.SELF_INSERT, () -> {
            if (r.getBuffer().length() < LineRunner.MAX_LINE_CHARS) {
                return insert.apply();
            }
            lineTooLong = true;
            try {
                int c;
                do {
                    c = terminal.reader().read();
                } while (c >= 0 && c != '\n' && c != '\r');
            } catch (IOException e) {
                // interrupted or closed: the line is refused all the same
            }
            r.setVariable(LineReader.DISABLE_HISTORY, true); // a refused line is not worth recalling
            r.callWidget(LineReader.ACCEPT_LINE);
            return true;
        });
    }

    private static Catalog loadQuietly(Context session) {
        try {
            return session.catalogs().get();
        } catch (RuntimeException e) {
            return null; // the command that needs it reports the problem in its own words
        }
    }

    private void awaitWarmup() {
        try {
            catalogWarmup.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path prepareHistory(Path file) {
        if (file == null) {
            return null;
        }
        try {
            HistoryFile.prepare(file);
            return file;
        } catch (IOException | RuntimeException e) {
            err.println("llmplan shell: history not saved: cannot create " + file + " (" + e.getMessage() + ")");
            err.flush();
            return null;
        }
    }

    int run() {
        out.println("llmplan shell · Tab completes · 'help' lists commands · 'exit' or Ctrl-D leaves");
        out.flush();
        String prompt = colour ? Styler.BOLD + PROMPT + Styler.RESET : PROMPT;
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt);
            } catch (UserInterruptException e) {
                lineTooLong = false;
                reader.setVariable(LineReader.DISABLE_HISTORY, false);
                continue; // Ctrl-C: drop the line being typed, keep the shell
            } catch (EndOfFileException e) {
                break; // Ctrl-D on an empty line
            }
            if (lineTooLong) {
                lineTooLong = false;
                reader.setVariable(LineReader.DISABLE_HISTORY, false);
                err.println("llmplan shell: line longer than " + LineRunner.MAX_LINE_CHARS + " characters; not run");
                err.flush();
                continue;
            }
            List<String> words;
            try {
                words = words(line);
            } catch (LlmplanException e) {
                err.println("llmplan: " + e.getMessage());
                err.flush();
                continue;
            }
            awaitWarmup();
            if (runner.run(words) == LineRunner.Next.EXIT) {
                break;
            }
        }
        saveHistory();
        if (terminal.getType().startsWith("dumb")) {
            out.println();
        }
        out.flush();
        return Cli.OK;
    }

    /** The line's arguments, split and unquoted as a POSIX shell would (see {@link LineSplitter}). */
    static List<String> words(String line) {
        return LineSplitter.split(line);
    }

    private void saveHistory() {
        if (historyFile == null) {
            return;
        }
        try {
            reader.getHistory().save();
            HistoryFile.restrict(historyFile);
        } catch (IOException e) {
            err.println("llmplan shell: history not saved: " + e.getMessage());
            err.flush();
        }
    }

    /** Colour only where the user has not asked for plain text and the terminal can show it. */
    static final class ColourSupport {
        private ColourSupport() {
        }

        static boolean enabled(Map<String, String> env, Terminal terminal) {
            String noColor = env.get("NO_COLOR"); // no-color.org: set and not empty disables colour
            if (noColor != null && !noColor.isEmpty()) {
                return false;
            }
            if ("dumb".equals(env.get("TERM")) || Terminal.TYPE_DUMB.equals(terminal.getType())) {
                return false;
            }
            if (Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
                return true;
            }
            Integer colours = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
            return colours != null && colours >= 8;
        }
    }
}
