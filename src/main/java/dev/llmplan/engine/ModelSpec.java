package dev.llmplan.engine;

import java.util.List;

/**
 * Everything the engine knows about one model, from the catalog, a bare size or the user's files.
 * {@code parameters} is the published (or exact, from files) total; {@code exactWeightBytes} is
 * set only when read from weight files and then wins over any format arithmetic.
 */
public record ModelSpec(
        String id,
        String name,
        List<String> aliases,
        String family,
        String developer,
        String released,
        String license,
        boolean openWeights,
        ModelType type,
        Long parameters,
        Long activeParameters,
        String hfRepo,
        String nativePrecision,
        String surveyLabel,
        String source,
        String notes,
        Architecture arch,
        Origin origin,
        Long exactWeightBytes) {

    /** Where the facts come from; a bare size has a synthetic shape and says so. */
    public enum Origin { CATALOG, USER_CATALOG, BARE_SIZE, FILE }

    public ModelSpec {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        arch = arch == null ? Architecture.EMPTY : arch;
    }

    public boolean hasParameters() {
        return parameters != null && parameters > 0;
    }

    /** The same model with another architecture (an assumed shape where the real one is unknown). */
    public ModelSpec withArch(Architecture a) {
        return new ModelSpec(id, name, aliases, family, developer, released, license, openWeights, type, parameters,
                activeParameters, hfRepo, nativePrecision, surveyLabel, source, notes, a, origin, exactWeightBytes);
    }

    /** The maximum context the model supports, when known. */
    public Integer maxContext() {
        return arch.maxContext();
    }
}
