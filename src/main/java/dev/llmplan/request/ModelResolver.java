package dev.llmplan.request;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.BareSize;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.hub.Hub;
import dev.llmplan.hub.HubRef;
import dev.llmplan.hub.HubRepo;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.modelfile.ModelFiles;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves a MODEL argument, in this order (DESIGN.md §2): a local path (anything that exists, or
 * is written like a path: then a missing one is an error naming it), a hub reference
 * {@code hf:ORG/NAME[@REV][/FILE]}, a catalog id or alias, a bare size such as 70B or 8x7B, and
 * last {@code ORG/NAME} as a hub repository id. A folder that happens to be named like a catalog
 * alias (a local clone of meta-llama/Llama-2-70b-hf) is therefore read from disk.
 */
public final class ModelResolver {
    /**
     * One rule for what is read as a size: a name that is no catalog id or path, starts with an ASCII digit
     * and holds only letters, digits, dots and spaces (70B, 8x7B, and also 70Q, 7BB, 1e30B). Such a name that
     * is not a valid size is a usage error saying why (exit 2); any other unknown name is an unknown model
     * with the closest ids (exit 3).
     */
    private static final Pattern SIZE_LIKE = Pattern.compile("(?i)^\\s*-?[0-9][0-9a-z.×\\s]*$");

    private final Catalog catalog;
    private final Map<String, String> env;
    private final List<String> notes = new ArrayList<>();
    private Hub hub;

    public ModelResolver(Catalog catalog, Map<String, String> env) {
        this.catalog = catalog;
        this.env = env;
    }

    /** As {@link #resolve(String)} with the process environment (HOME, and the hub's HF_* variables). */
    public static LocalModel resolveLocal(String text, Catalog catalog) {
        return new ModelResolver(catalog, System.getenv()).resolve(text);
    }

    /** The model; paths are relative to the working directory. */
    public LocalModel resolve(String text) {
        return resolve(text, null);
    }

    /**
     * The model with, for files, the format its weights are stored in ({@link LocalModel#defaultQuant});
     * relative paths are resolved against {@code base} (a plan file's folder), or the working directory when null.
     */
    public LocalModel resolve(String text, Path base) {
        if (text == null || text.isBlank()) {
            throw LlmplanException.invalid("MODEL is empty: give a catalog id (llama-2-7b), a size (7B), a path or hf:ORG/NAME");
        }
        Path path = localPath(text, base);
        if (path != null && Files.exists(path)) {
            return ModelFiles.read(path);
        }
        if (HubRef.isReference(text)) {
            return fromHub(HubRef.parse(text));
        }
        if (ModelFiles.looksLikePath(text)) {
            throw missing(text, path, base);
        }
        Optional<Catalog.ModelMatch> found = catalog.matchModel(text);
        if (found.isPresent()) {
            ModelSpec m = found.get().model();
            if (found.get().note() != null) {
                notes.add(found.get().note());
            }
            if (!m.openWeights() && !m.hypothetical()) {
                throw ClosedModels.refusal(m, catalog);
            }
            return LocalModel.of(m);
        }
        if (SIZE_LIKE.matcher(text).matches()) {
            return LocalModel.of(BareSize.of(text));
        }
        if (HubRef.isRepoId(text.trim())) {
            try {
                return fromHub(HubRef.parse(text.trim()));
            } catch (LlmplanException e) {
                String unknown = catalog.unknownModel(text).getMessage();
                throw LlmplanException.badData(unknown + "; as a hub repository: " + e.getMessage());
            }
        }
        throw catalog.unknownModel(text);
    }

    /**
     * A model read from files only, for {@code inspect}: a local path, {@code hf:ORG/NAME[/FILE]}, or
     * an ORG/NAME that is not on disk (a hub repository id); never a catalog entry or a size.
     */
    public LocalModel readFiles(String text) {
        Path path = localPath(text, null);
        if (path != null && Files.exists(path)) {
            return ModelFiles.read(path);
        }
        if (HubRef.isReference(text) || HubRef.isRepoId(text.trim()) && !ModelFiles.looksLikePath(text)) {
            return fromHub(HubRef.parse(text.trim()));
        }
        throw missing(text, path, null);
    }

    /** The error for a path that does not exist: it names the path as typed, or as resolved from "~" or a plan's folder. */
    private static LlmplanException missing(String text, Path path, Path base) {
        boolean rewritten = path != null && (base != null || text.startsWith("~"));
        return LlmplanException.badData((rewritten ? path.toString() : text) + ": no such file or folder");
    }

    /**
     * Notes for the user: a family name planned as its representative size, a model file whose shape is
     * approximate, what the hub did (e.g. that the cache answered because the network failed).
     */
    public List<String> notes() {
        List<String> out = new ArrayList<>(notes);
        if (hub != null) {
            out.addAll(hub.notes());
        }
        return out;
    }

    /** A path to look for on disk: "~" is the home folder, relative paths are taken from {@code base}. */
    private Path localPath(String text, Path base) {
        String t = text;
        if (t.equals("~") || t.startsWith("~/")) {
            String home = env.get("HOME");
            t = (home == null || home.isBlank() ? System.getProperty("user.home") : home) + t.substring(1);
        }
        try {
            Path p = Path.of(t);
            return base == null || p.isAbsolute() ? p : base.resolve(p);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private LocalModel fromHub(HubRef ref) {
        if (hub == null) {
            hub = Hub.from(env);
        }
        HubRepo repo = hub.repo(ref);
        String path = ref.path();
        if (path == null) {
            return ModelFiles.read(new HubFolder(repo, ""), null);
        }
        if (!ref.namesFile()) {
            return ModelFiles.read(new HubFolder(repo, path), null);
        }
        int slash = path.lastIndexOf('/');
        return ModelFiles.read(new HubFolder(repo, slash < 0 ? "" : path.substring(0, slash)), path.substring(slash + 1));
    }
}
