package dev.llmplan.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Issue 14 item 8: a bare size under a GGUF file type gets the file type's per-tensor mix, not one bits figure. */
class BareSizeGgufMixTest {
    /** All weight bytes, on the GPU and in host memory (llama.cpp keeps the token embedding on the host). */
    static Bytes weights(String size, String quant) {
        Estimate e = MemoryEstimator.estimate(BareSize.of(size),
                new Workload(Mode.INFERENCE, WeightFormat.parse(quant, null), 4096, 1, null, null, null, 1, null));
        Bytes all = e.component(Component.WEIGHTS);
        for (Part p : e.hostParts()) {
            all = p.component() == Component.WEIGHTS ? all.plus(p.bytes()) : all;
        }
        return all;
    }

    /**
     * TheBloke/Llama-2-7B-GGUF, model card "Provided files" (huggingface.co/TheBloke/Llama-2-7B-GGUF):
     * llama-2-7b.Q3_K_S.gguf 2.95 GB, Q3_K_M 3.30 GB, Q3_K_L 3.60 GB, Q4_K_M 4.08 GB (10^9 bytes) for
     * Llama 2 7B's 6,738,415,616 parameters. A bare "7B" is 7.0e9 parameters of an assumed Llama-3-like
     * shape (a larger vocabulary, so a larger Q6_K output head), so bits per weight are compared, within 5%.
     */
    @Test
    void q3KSmallMediumLargeDifferLikeThePublishedSevenBillionFiles() {
        double s = bitsPerWeight("q3_k_s");
        double m = bitsPerWeight("q3_k_m");
        double l = bitsPerWeight("q3_k_l");
        assertThat(s).isLessThan(m);
        assertThat(m).isLessThan(l);
        assertThat(s).isCloseTo(published(2.95), within(published(2.95) * 0.05));
        assertThat(m).isCloseTo(published(3.30), within(published(3.30) * 0.05));
        assertThat(l).isCloseTo(published(3.60), within(published(3.60) * 0.05));
        assertThat(bitsPerWeight("q4_k_m")).isCloseTo(published(4.08), within(published(4.08) * 0.05));
    }

    private static double bitsPerWeight(String quant) {
        return weights("7B", quant).value() * 8.0 / 7e9;
    }

    private static double published(double gigabytes) {
        return gigabytes * 1e9 * 8 / 6_738_415_616L;
    }

    @Test
    void nonGgufFormatsOfABareSizeStayParametersTimesBits() {
        // The survey's rule for a bare size: 70B in 8-bit is 70 GB.
        assertThat(weights("70B", "int8").value()).isEqualTo(70_000_000_000L);
    }

    /**
     * The shape changes in steps (layers and width are whole numbers); the weights must still never fall.
     * (Their split between GPU and host can: a wider step moves embedding bytes to the host.)
     */
    @Property(tries = 200)
    void ggufWeightsNeverFallAsTheSizeGrows(@ForAll @DoubleRange(min = -1, max = 3) @Scale(4) double log10Billions,
                                           @ForAll @DoubleRange(min = 0.0005, max = 0.1) @Scale(4) double step,
                                           @ForAll @IntRange(min = 0, max = 4) int quantIndex) {
        String quant = new String[] {"q2_k", "q3_k_s", "q3_k_m", "q4_k_m", "q5_k_m"}[quantIndex];
        double small = Math.pow(10, log10Billions);
        double large = small * Math.pow(10, step);
        Bytes a = weights(String.format(Locale.ROOT, "%.4fB", small), quant);
        Bytes b = weights(String.format(Locale.ROOT, "%.4fB", large), quant);
        assertThat(b).as("%s at %.4fB vs %.4fB", quant, small, large).isGreaterThanOrEqualTo(a);
    }
}
