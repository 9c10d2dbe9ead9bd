package dev.llmplan.request;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.BareSize;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.modelfile.LocalModel;
import dev.llmplan.modelfile.ModelFiles;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves a MODEL argument: a catalog id or alias first, then an existing path (a model folder,
 * config.json, .safetensors or .gguf, read from the files), then a bare size such as 70B or 8x7B.
 */
public final class ModelResolver {
    /**
     * One rule for what is read as a size: a name that is no catalog id or path, starts with an ASCII digit
     * and holds only letters, digits, dots and spaces (70B, 8x7B, and also 70Q, 7BB, 1e30B). Such a name that
     * is not a valid size is a usage error saying why (exit 2); any other unknown name is an unknown model
     * with the closest ids (exit 3).
     */
    private static final Pattern SIZE_LIKE = Pattern.compile("(?i)^\\s*-?[0-9][0-9a-z.×\\s]*$");

    private ModelResolver() {
    }

    /**
     * The spec alone, for callers that do not apply the files' own format: a model file's exact
     * bytes are dropped so that whatever format the caller picks is priced correctly. Use
     * {@link #resolveLocal} with {@code WorkloadOptions.toWorkload(LocalModel, int)} and
     * {@link LocalModel#specFor} to get the exact bytes.
     */
    public static ModelSpec resolve(String text, Catalog catalog) {
        return resolveLocal(text, catalog).priced();
    }

    /** The model with, for files, the format its weights are stored in ({@link LocalModel#defaultQuant}). */
    public static LocalModel resolveLocal(String text, Catalog catalog) {
        if (text == null || text.isBlank()) {
            throw LlmplanException.invalid("MODEL is empty: give a catalog id (llama-2-7b), a size (7B) or a path");
        }
        Optional<ModelSpec> found = catalog.findModel(text);
        if (found.isPresent()) {
            return LocalModel.of(found.get());
        }
        if (ModelFiles.exists(text)) {
            return ModelFiles.read(Path.of(text));
        }
        if (SIZE_LIKE.matcher(text).matches()) {
            return LocalModel.of(BareSize.of(text));
        }
        if (ModelFiles.looksLikePath(text)) {
            throw LlmplanException.badData(text + ": no such file or folder");
        }
        throw Catalog.unknown("model", text, catalog.modelIds());
    }
}
