package dev.llmplan.shell;

import dev.llmplan.cli.Cli;
import dev.llmplan.cli.Context;
import dev.llmplan.engine.LlmplanException;
import picocli.CommandLine;

import java.util.List;

/**
 * Runs one shell line: a shell builtin, or an llmplan command through a fresh picocli tree built by
 * {@link Cli#create} (the same tree, handlers and streams as the one-shot CLI), with session defaults
 * added. Because every line gets new command objects, option values cannot leak from one line to the next.
 */
final class LineRunner {
    enum Next { CONTINUE, EXIT }

    /** The longest line the shell runs; a longer one is refused with one line (real commands are short). */
    static final int MAX_LINE_CHARS = 64 * 1024;

    private final Context session;
    private final SessionDefaults defaults;
    private final ShellBuiltins builtins;
    private int lastExitCode;

    LineRunner(Context session, SessionDefaults defaults, ShellBuiltins builtins) {
        this.session = session;
        this.defaults = defaults;
        this.builtins = builtins;
    }

    Next run(List<String> typed) {
        if (typed.isEmpty()) {
            return Next.CONTINUE;
        }
        List<String> words;
        try {
            words = List.of(Cli.expandArgumentFiles(typed.toArray(new String[0])));
        } catch (LlmplanException e) {
            session.err().println("llmplan: " + e.getMessage());
            session.err().flush();
            lastExitCode = Cli.USAGE;
            return Next.CONTINUE;
        }
        if (words.isEmpty()) {
            return Next.CONTINUE;
        }
        String first = words.get(0);
        if (first.equals("exit") || first.equals("quit")) {
            return Next.EXIT;
        }
        if (ShellBuiltins.isBuiltin(first)) {
            lastExitCode = builtins.run(words, session);
            return Next.CONTINUE;
        }
        if (first.equals("shell")) {
            session.err().println("llmplan shell: already in the shell");
            session.err().flush();
            lastExitCode = Cli.USAGE;
            return Next.CONTINUE;
        }
        // A line's own --catalog must not stay loaded for later lines: give that line its own provider.
        Context context = (words.stream().anyMatch(w -> w.equals("--catalog") || w.startsWith("--catalog="))
                ? session.withOwnCatalogs() : session).withSessionDefaults(defaults.tableValues());
        CommandLine cl = Cli.create(context);
        List<String> args = defaults.inject(words, LinePosition.of(cl.getCommandSpec(), words).command());
        lastExitCode = cl.execute(args.toArray(new String[0]));
        context.out().flush();
        context.err().flush();
        return Next.CONTINUE;
    }

    /** The exit code the last line would have had as a one-shot command. */
    int lastExitCode() {
        return lastExitCode;
    }
}
