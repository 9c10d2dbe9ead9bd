package dev.llmplan.engine;

import java.util.List;

/**
 * Everything the engine knows about one model, from the catalog, a bare size or the user's files.
 * {@code parameters} is the published (or exact, from files) total of the checkpoint, vision encoder
 * included; {@code exactWeightBytes} is set only when read from weight files and then wins over any format
 * arithmetic. {@code familyAliases} are family names ("GPT-2") that resolve to this entry as the family's
 * representative size. {@code approximate} is set when the shape was guessed from generic config.json
 * fields (no reader for the model_type, no weight header read): estimates of such a model deserve a wider
 * error band.
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
        Long exactWeightBytes,
        List<String> familyAliases,
        VisionEncoder visionEncoder,
        boolean approximate) {

    /** Where the facts come from; a bare size has a synthetic shape and says so. */
    public enum Origin { CATALOG, USER_CATALOG, BARE_SIZE, FILE }

    public ModelSpec {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        arch = arch == null ? Architecture.EMPTY : arch;
        familyAliases = familyAliases == null ? List.of() : List.copyOf(familyAliases);
    }

    /** A spec without family names, vision encoder or approximation flag (files, bare sizes, tests). */
    public ModelSpec(String id, String name, List<String> aliases, String family, String developer, String released,
                     String license, boolean openWeights, ModelType type, Long parameters, Long activeParameters,
                     String hfRepo, String nativePrecision, String surveyLabel, String source, String notes,
                     Architecture arch, Origin origin, Long exactWeightBytes) {
        this(id, name, aliases, family, developer, released, license, openWeights, type, parameters, activeParameters,
                hfRepo, nativePrecision, surveyLabel, source, notes, arch, origin, exactWeightBytes, List.of(), null, false);
    }

    /**
     * A closed model the engine still sizes: its shape is published (GPT-3's 96 layers x 12,288), so the
     * memory a model of that shape needs is computable, though nothing can be downloaded.
     */
    public boolean hypothetical() {
        return !openWeights && hasParameters() && TensorInventory.derivable(arch);
    }

    /** Parameters of the language model alone: the total less the vision encoder's. */
    public Long languageParameters() {
        if (parameters == null || visionEncoder == null) {
            return parameters;
        }
        return Math.max(0, parameters - visionEncoder.parameters());
    }

    /** The same spec with {@code exactWeightBytes} replaced (null: priced from the architecture). */
    public ModelSpec withExactWeightBytes(Long bytes) {
        return new ModelSpec(id, name, aliases, family, developer, released, license, openWeights, type, parameters,
                activeParameters, hfRepo, nativePrecision, surveyLabel, source, notes, arch, origin, bytes,
                familyAliases, visionEncoder, approximate);
    }

    public boolean hasParameters() {
        return parameters != null && parameters > 0;
    }

    /** The same model with another architecture (an assumed shape where the real one is unknown). */
    public ModelSpec withArch(Architecture a) {
        return new ModelSpec(id, name, aliases, family, developer, released, license, openWeights, type, parameters,
                activeParameters, hfRepo, nativePrecision, surveyLabel, source, notes, a, origin, exactWeightBytes,
                familyAliases, visionEncoder, approximate);
    }

    /** The maximum context the model supports, when known. */
    public Integer maxContext() {
        return arch.maxContext();
    }
}
