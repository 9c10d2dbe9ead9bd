package dev.llmplan.cli;

import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Process entry point: builds the command tree, runs it, exits with the documented code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, out, err, System.in, System.getenv());
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line with the given streams and environment (tests call this directly). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {
        CommandLine cl = Cli.createFor(new Context(out, err, in, env), args);
        return cl.execute(args);
    }
}
