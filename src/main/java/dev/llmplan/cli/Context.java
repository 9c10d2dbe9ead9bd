package dev.llmplan.cli;

import dev.llmplan.request.CatalogProvider;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/** What a command needs from its surroundings: streams, environment and the lazily loaded catalog. */
public final class Context {
    private final PrintWriter out;
    private final PrintWriter err;
    private final InputStream in;
    private final Map<String, String> env;
    private final CatalogProvider catalogs;
    private final boolean colour;

    public Context(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {
        this(out, err, in, env, new CatalogProvider(env), false);
    }

    private Context(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, CatalogProvider catalogs,
                    boolean colour) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
        this.catalogs = catalogs;
        this.colour = colour;
    }

    /** The same surroundings writing elsewhere, sharing the loaded catalog (the shell's terminal). */
    public Context withOutput(PrintWriter newOut, PrintWriter newErr, boolean inColour) {
        return new Context(newOut, newErr, in, env, catalogs, inColour);
    }

    /** The same surroundings with a catalog provider of its own, for a shell line that adds --catalog. */
    public Context withOwnCatalogs() {
        return new Context(out, err, in, env, catalogs.copy(), colour);
    }

    /** Whether output goes to a colour terminal (the shell's); one-shot commands print plain text. */
    public boolean colour() {
        return colour;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public InputStream in() {
        return in;
    }

    public Map<String, String> env() {
        return env;
    }

    public CatalogProvider catalogs() {
        return catalogs;
    }
}
