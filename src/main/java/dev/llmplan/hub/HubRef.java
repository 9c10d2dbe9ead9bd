package dev.llmplan.hub;

import dev.llmplan.engine.LlmplanException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A model on the Hugging Face Hub: {@code hf:ORG/NAME}, {@code hf:ORG/NAME@REVISION}, or a file or
 * folder in it, {@code hf:ORG/NAME/FILE.gguf} ({@code hf:ORG/NAME@REVISION/PATH}, the order
 * huggingface_hub's HfFileSystem uses in {@code hf://} paths; a revision holding "/" is written
 * with %2F). A bare {@code ORG/NAME} is a repository id.
 *
 * @param repo     ORG/NAME
 * @param revision the branch, tag or commit, or null for the default branch ("main")
 * @param path     a file or folder inside the repository, or null for the repository itself
 */
public record HubRef(String repo, String revision, String path) {
    public static final String PREFIX = "hf:";
    public static final String DEFAULT_REVISION = "main";
    /** huggingface_hub validate_repo_id: letters, digits, "-", "_", "." up to 96 characters per part. */
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");

    /** Whether the text is written as a hub reference ({@code hf:...}). */
    public static boolean isReference(String text) {
        return text.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** Whether the text has the shape of a repository id, ORG/NAME (checked last, after the catalog). */
    public static boolean isRepoId(String text) {
        return REPO_ID.matcher(text).matches() && !text.contains("--") && !text.contains("..");
    }

    /** Parses {@code hf:ORG/NAME[@REV][/PATH]} (also {@code hf://...}) or a bare ORG/NAME. */
    public static HubRef parse(String text) {
        String t = text.trim();
        if (isReference(t)) {
            t = t.substring(PREFIX.length());
            if (t.startsWith("//")) {
                t = t.substring(2);
            }
        }
        String[] parts = t.split("/", 3);
        if (parts.length < 2) {
            throw bad(text);
        }
        String org = parts[0];
        String name = parts[1];
        String revision = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            revision = URLDecoder.decode(name.substring(at + 1), StandardCharsets.UTF_8);
            name = name.substring(0, at);
            if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
                throw LlmplanException.invalid("'" + text + "': revision '" + revision
                        + "' is not a branch, tag or commit name");
            }
        }
        if (!PART.matcher(org).matches() || !PART.matcher(name).matches() || (org + "/" + name).contains("--")
                || (org + "/" + name).contains("..")) {
            throw bad(text);
        }
        String path = parts.length == 3 ? parts[2] : null;
        if (path != null && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path != null && path.isEmpty()) {
            path = null;
        }
        if (path != null) {
            for (String seg : path.split("/", -1)) {
                if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || seg.indexOf('\\') >= 0 || seg.indexOf('\0') >= 0) {
                    throw LlmplanException.invalid("'" + text + "': '" + path + "' is not a file path inside the repository");
                }
            }
        }
        return new HubRef(org + "/" + name, revision, path);
    }

    private static LlmplanException bad(String text) {
        return LlmplanException.invalid("'" + text + "' is not a hub reference: write hf:ORG/NAME, hf:ORG/NAME@REVISION"
                + " or hf:ORG/NAME/FILE.gguf");
    }

    /** The revision to ask for. */
    public String effectiveRevision() {
        return revision == null ? DEFAULT_REVISION : revision;
    }

    /** This reference without its path: the repository at the same revision. */
    public HubRef repository() {
        return new HubRef(repo, revision, null);
    }

    /** Whether the path names a model file (rather than a folder of the repository). */
    public boolean namesFile() {
        if (path == null) {
            return false;
        }
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".gguf") || p.endsWith(".safetensors") || p.endsWith(".json");
    }

    /** {@code hf:ORG/NAME[@REV]}: how messages and the model id name the repository. */
    public String repoLabel() {
        return PREFIX + repo + (revision == null ? "" : "@" + revision);
    }

    /** How messages name a file of this repository. */
    public String label(String file) {
        return repoLabel() + "/" + file;
    }

    @Override
    public String toString() {
        return path == null ? repoLabel() : label(path);
    }
}
