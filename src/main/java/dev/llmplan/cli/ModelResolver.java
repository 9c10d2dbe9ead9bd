package dev.llmplan.cli;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.engine.BareSize;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.ModelSpec;

import java.util.Optional;
import java.util.regex.Pattern;

/** Resolves a MODEL argument: a catalog id or alias, else a bare size such as 70B or 8x7B. */
final class ModelResolver {
    private static final Pattern SIZE_LIKE = Pattern.compile("(?i)^\\s*-?(\\d+\\s*[x×]\\s*)?[0-9.]+\\s*[a-z]?\\s*$");

    private ModelResolver() {
    }

    static ModelSpec resolve(String text, Catalog catalog) {
        if (text == null || text.isBlank()) {
            throw LlmplanException.usage("MODEL is empty: give a catalog id (llama-2-7b), a size (7B) or a path");
        }
        Optional<ModelSpec> found = catalog.findModel(text);
        if (found.isPresent()) {
            return found.get();
        }
        if (SIZE_LIKE.matcher(text).matches()) {
            return BareSize.of(text);
        }
        throw Catalog.unknown("model", text, catalog.modelCompletions());
    }
}
