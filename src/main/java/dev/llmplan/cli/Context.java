package dev.llmplan.cli;

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
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
        this.catalogs = new CatalogProvider(env);
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
