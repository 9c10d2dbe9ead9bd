package dev.llmplan;

import dev.llmplan.cli.Cli;
import dev.llmplan.cli.Context;
import dev.llmplan.cli.Timing;
import dev.llmplan.shell.Shell;
import dev.llmplan.shell.ShellCommand;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Process entry point: a person at a terminal with no arguments gets the shell; anything else runs one
 * command line and exits with its documented code.
 */
public final class Main {
    static {
        Cli.register("shell", ShellCommand.class);
    }

    private Main() {
    }

    public static void main(String[] args) {
        Timing.start(System.getenv());
        // The raw descriptor, not System.out: a PrintStream would swallow the write error we need to see.
        CheckedStream stdout = new CheckedStream(new java.io.FileOutputStream(java.io.FileDescriptor.out));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = args.length == 0 && System.console() != null
                ? Shell.open(new Context(out, err, System.in, System.getenv()))
                : run(args, out, err, System.in, System.getenv());
        out.flush();
        if (stdout.failure() != null && !stdout.closedByReader()) {
            // A full disk must not look like success to the script that redirected the output.
            err.println("llmplan: cannot write the output: " + stdout.failure());
            code = Cli.INTERNAL;
        }
        Timing.mark("output flushed");
        Timing.report(err);
        err.flush();
        System.exit(code);
    }

    /** Standard output that remembers a failed write (PrintWriter swallows it). */
    static final class CheckedStream extends java.io.FilterOutputStream {
        private String failure;

        CheckedStream(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            try {
                out.write(b, off, len);
            } catch (java.io.IOException e) {
                failure = e.getMessage();
                throw e;
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            try {
                out.flush();
            } catch (java.io.IOException e) {
                failure = e.getMessage();
                throw e;
            }
        }

        String failure() {
            return failure;
        }

        /** A reader that stopped reading (llmplan ... | head) is not an error. */
        boolean closedByReader() {
            return failure != null && failure.contains("Broken pipe");
        }
    }

    /** Runs one command line with the given streams and environment (tests call this directly). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {
        return Cli.execute(new Context(out, err, in, env), args);
    }
}
