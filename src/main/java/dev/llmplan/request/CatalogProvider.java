package dev.llmplan.request;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads the catalog on first use only, so --help and --version never parse it. User files come
 * from the config directory, then LLMPLAN_CATALOG, then --catalog, later ones winning.
 */
public final class CatalogProvider {
    public static final String ENV = "LLMPLAN_CATALOG";

    private final Map<String, String> env;
    private final List<Path> explicit = new ArrayList<>();
    private Catalog catalog;

    public CatalogProvider(Map<String, String> env) {
        this.env = env;
    }

    public void addExplicit(List<Path> files) {
        explicit.addAll(files);
        catalog = null;
    }

    /** A provider with the same files that loads its own catalog (later --catalog files stay its own). */
    public CatalogProvider copy() {
        CatalogProvider c = new CatalogProvider(env);
        c.explicit.addAll(explicit);
        return c;
    }

    public Catalog get() {
        if (catalog == null) {
            catalog = CatalogLoader.load(userFiles());
        }
        return catalog;
    }

    List<Path> userFiles() {
        List<Path> files = new ArrayList<>();
        Path config = configDir(env).resolve("catalog.yaml");
        if (Files.isRegularFile(config)) {
            files.add(config);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            for (String p : fromEnv.split(File.pathSeparator)) {
                if (!p.isBlank()) {
                    files.add(Path.of(p.trim()));
                }
            }
        }
        files.addAll(explicit);
        return files;
    }

    /** $XDG_CONFIG_HOME/llmplan, else $HOME/.config/llmplan. */
    public static Path configDir(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        String home = env.get("HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config");
        return base.resolve("llmplan");
    }
}
