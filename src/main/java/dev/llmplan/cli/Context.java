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

    public Context(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {
        this(out, err, in, env, new CatalogProvider(env));
    }

    private Context(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, CatalogProvider catalogs) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
        this.catalogs = catalogs;
    }

    /** The same surroundings writing elsewhere, sharing the loaded catalog (the shell's terminal). */
    public Context withOutput(PrintWriter newOut, PrintWriter newErr) {
        return new Context(newOut, newErr, in, env, catalogs);
    }

    /** The same surroundings with a catalog provider of its own, for a shell line that adds --catalog. */
    public Context withOwnCatalogs() {
        return new Context(out, err, in, env, catalogs.copy());
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
