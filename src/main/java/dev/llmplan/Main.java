package dev.llmplan;

import dev.llmplan.cli.Cli;
import dev.llmplan.cli.Context;
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
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = args.length == 0 && System.console() != null
                ? Shell.open(new Context(out, err, System.in, System.getenv()))
                : run(args, out, err, System.in, System.getenv());
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line with the given streams and environment (tests call this directly). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {
        return Cli.execute(new Context(out, err, in, env), args);
    }
}
