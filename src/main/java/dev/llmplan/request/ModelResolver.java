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
    private static final Pattern SIZE_LIKE = Pattern.compile("(?i)^\\s*-?(\\d+\\s*[x×]\\s*)?[0-9.]+\\s*[a-z]?\\s*$");

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
