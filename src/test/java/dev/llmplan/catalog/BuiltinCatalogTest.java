package dev.llmplan.catalog;

import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.TensorInventory;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BuiltinCatalogTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();

    /**
     * Architectures whose tensor model (no biases, no positional extras) misses the published count
     * by more than 5%, with the reason (the loader itself rejects anything beyond 15%).
     */
    private static final Map<String, String> PARAMETER_EXCEPTIONS = Map.ofEntries(
            Map.entry("albert-base-v2", "biases, token-type embeddings and the pooler are 5-8% of a 12M-60M model"),
            Map.entry("albert-large-v2", "biases, token-type embeddings and the pooler are 5-8% of a 12M-60M model"),
            Map.entry("albert-xlarge-v2", "biases, token-type embeddings and the pooler are 5-8% of a 12M-60M model"),
            Map.entry("albert-xxlarge-v2", "biases, token-type embeddings and the pooler are 5-8% of a 12M-60M model"),
            Map.entry("xlnet-large", "relative-position projections, segment embeddings and biases are not in the tensor model"),
            Map.entry("xlnet-base", "relative-position projections, segment embeddings and biases are not in the tensor model"),
            Map.entry("gopher-280b", "relative-position projections per layer (about 80 x 16384^2) are not in the tensor model"),
            Map.entry("gophercite-280b", "Gopher 280B's shape: relative-position projections are not in the tensor model"),
            Map.entry("opt-350m", "512-wide embeddings projected to 1024 are not described by the schema"),
            Map.entry("llama-3.2-11b-vision", "8 cross-attention layers (q/k norms and gates) on the 40 Llama layers"));

    @Test
    void loadsWithEnoughModelsAndHardware() {
        assertThat(CATALOG.models().size()).isGreaterThanOrEqualTo(150);
        assertThat(CATALOG.gpus().size() + CATALOG.systems().size()).isGreaterThanOrEqualTo(35);
    }

    @Test
    void everyDerivableParameterCountIsWithinFivePercentOrListed() {
        List<String> off = new ArrayList<>();
        for (ModelSpec m : CATALOG.models()) {
            if (!m.hasParameters() || !TensorInventory.derivable(m.arch()) || m.arch().vocab() == null) {
                continue;
            }
            // The architecture describes the language model; a vision encoder is counted on its own.
            long derived = TensorInventory.of(m.arch(), m.type()).total();
            double err = Math.abs(derived - m.languageParameters()) / (double) m.languageParameters();
            if (err > 0.05 && !PARAMETER_EXCEPTIONS.containsKey(m.id())) {
                off.add(m.id() + String.format(" %.1f%%", err * 100));
            }
        }
        assertThat(off).isEmpty();
    }

    @Test
    void knownExactCountsAreReproducedFromTheArchitecture() {
        // config.json-derived totals quoted in shared/reference/README.md.
        assertThat(derived("llama-2-7b")).isEqualTo(6_738_415_616L);
        assertThat(derived("mistral-7b")).isEqualTo(7_241_732_096L);
        assertThat(derived("llama-3-8b")).isEqualTo(8_030_261_248L);
    }

    @Test
    void everyOpenModelCanBeLoaded() {
        List<String> failed = new ArrayList<>();
        for (ModelSpec m : CATALOG.models()) {
            if (!m.openWeights()) {
                continue;
            }
            try {
                Workload w = Workload.inference(WeightFormat.parse("fp16", null)).withMode(Mode.LOAD);
                assertThat(MemoryEstimator.estimate(m, w).total().value()).isPositive();
            } catch (RuntimeException e) {
                failed.add(m.id() + ": " + e.getMessage());
            }
        }
        assertThat(failed).isEmpty();
    }

    @Test
    void genericGpuNamesResolveToTheCommonVariant() {
        assertThat(CATALOG.gpu("a100-80gb").id()).isEqualTo("a100-80gb-sxm4");
        assertThat(CATALOG.gpu("h100").id()).isEqualTo("h100-sxm5");
        assertThat(CATALOG.gpu("rtx-4060-ti").id()).isEqualTo("rtx-4060-ti-16gb");
        assertThat(CATALOG.findSystem("dgx-a100").orElseThrow().count()).isEqualTo(8);
        assertThat(CATALOG.findSystem("dgx-a100").orElseThrow().gpu().memoryGiB()).isEqualTo(80.0);
    }

    @Test
    void dotsBetweenDigitsKeepSizesApart() {
        assertThat(CATALOG.model("opt-1.3b").id()).isEqualTo("opt-1.3b");
        assertThat(CATALOG.model("opt-13b").id()).isEqualTo("opt-13b");
    }

    private static long derived(String id) {
        ModelSpec m = CATALOG.model(id);
        return TensorInventory.of(m.arch(), m.type()).total();
    }
}
