package dev.llmplan.catalog;

import dev.llmplan.yaml.DataFileException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cross-field checks of the catalog fields added in round 2: each impossible value names its field. */
class RoundTwoValidationTest {
    private static final String MODEL = "models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder,"
            + " source: s, parameters: 7B, ";

    private static void bad(String yaml, String message) {
        assertThatThrownBy(() -> CatalogLoader.fromText(yaml, "t.yaml")).isInstanceOf(DataFileException.class)
                .satisfies(e -> assertThat(((DataFileException) e).problems().toString()).contains(message));
    }

    @Test
    void aVisionEncoderIsPartOfTheTotal() {
        bad(MODEL + "visionEncoder: {parameters: 8B, source: s}}]", "visionEncoder.parameters: the vision encoder");
    }

    @Test
    void theExtendedContextIsAboveTheNativeOne() {
        bad(MODEL + "architecture: {maxContext: 32768, extendedContext: 32768}}]", "extendedContext: must be above maxContext");
        bad(MODEL + "architecture: {extendedContext: 131072}}]", "extendedContext: must be above maxContext");
    }

    @Test
    void attentionLayersAreSomeOfTheLayers() {
        bad(MODEL + "architecture: {layers: 4, attentionLayers: 8}}]", "attentionLayers: must be at most layers");
    }

    @Test
    void aBlockHasOneToFourNorms() {
        bad(MODEL + "architecture: {layers: 4, normsPerLayer: 5}}]", "normsPerLayer");
        bad(MODEL + "architecture: {layers: 4, normsPerLayer: 0}}]", "normsPerLayer");
        assertThat(CatalogLoader.fromText(MODEL + "architecture: {layers: 4, normsPerLayer: 4}}]", "t.yaml")
                .model("m1").arch().norms()).isEqualTo(4);
    }

    @Test
    void aFamilyNameIsOwnedByOneEntry() {
        bad("models: [{id: m1, name: M, family: F, developer: D, weights: open, type: decoder, source: s, parameters: 7B,"
                + " familyAliases: [Foo]}, {id: m2, name: N, family: F, developer: D, weights: open, type: decoder, source: s,"
                + " parameters: 7B, aliases: [foo]}]", "'foo' is already used by m1");
    }
}
