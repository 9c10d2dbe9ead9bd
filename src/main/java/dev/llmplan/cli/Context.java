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
    private final Map<String, String> sessionDefaults;

    public Context(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env) {
        this(out, err, in, env, new CatalogProvider(env), false, Map.of());
    }

    private Context(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, CatalogProvider catalogs,
                    boolean colour, Map<String, String> sessionDefaults) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
        this.catalogs = catalogs;
        this.colour = colour;
        this.sessionDefaults = Map.copyOf(sessionDefaults);
    }

    /** The same surroundings writing elsewhere, sharing the loaded catalog (the shell's terminal). */
    public Context withOutput(PrintWriter newOut, PrintWriter newErr, boolean inColour) {
        return new Context(newOut, newErr, in, env, catalogs, inColour, sessionDefaults);
    }

    /** The same surroundings with a catalog provider of its own, for a shell line that adds --catalog. */
    public Context withOwnCatalogs() {
        return new Context(out, err, in, env, catalogs.copy(), colour, sessionDefaults);
    }

    /** The same surroundings with the shell's session defaults (option long name without dashes to value). */
    public Context withSessionDefaults(Map<String, String> defaults) {
        return new Context(out, err, in, env, catalogs, colour, defaults);
    }

    /**
     * Defaults set with the shell's {@code set}, by option name ({@code context}); a line's own options
     * win over them, and a default context above a model's maximum is clamped instead of refused.
     */
    public Map<String, String> sessionDefaults() {
        return sessionDefaults;
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
