package dev.llmplan.modelfile;

import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.WeightFormat;

import java.util.List;

/**
 * A model read from the user's files: the spec (origin FILE; exact weight bytes when weight files
 * were read), the {@code --quant} id its weights are stored in (null when only config.json was
 * read and it names no quantisation), what was read, and notes on what had to be assumed.
 */
public record LocalModel(ModelSpec spec, String defaultQuant, Inspection inspection, List<String> notes) {
    public LocalModel {
        notes = List.copyOf(notes);
    }

    /** A catalog model or bare size: no files, no stored format. */
    public static LocalModel of(ModelSpec spec) {
        return new LocalModel(spec, null, null, List.of());
    }

    /**
     * The spec to estimate with when the weights are in format {@code formatId}: the exact bytes
     * hold only for the format the files are stored in; any other format (--quant) is priced
     * from the architecture.
     */
    public ModelSpec specFor(String formatId) {
        if (spec.exactWeightBytes() == null || formatId == null
                || defaultQuant != null && formatId.equals(WeightFormat.parse(defaultQuant, null).id())) {
            return spec;
        }
        return priced();
    }

    /** The spec with the exact bytes dropped: weights priced from the architecture and the format. */
    public ModelSpec priced() {
        return spec.exactWeightBytes() == null ? spec : spec.withExactWeightBytes(null);
    }
}
