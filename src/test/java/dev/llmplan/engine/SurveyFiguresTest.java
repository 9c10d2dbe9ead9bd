package dev.llmplan.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The survey (shared/seed/llm-survey.md): "7B needs 14 GB in 16-bit, 70B 140 GB, 8-bit halves it";
 * 13B and 175B follow the same params x 2 bytes arithmetic (26 GB, 350 GB).
 */
class SurveyFiguresTest {
    private static double weightsGb(String size, String quant) {
        ModelSpec model = BareSize.of(size);
        Workload w = Workload.inference(WeightFormat.parse(quant, null)).withMode(Mode.LOAD);
        return MemoryEstimator.estimate(model, w).component(Component.WEIGHTS).gb();
    }

    @ParameterizedTest
    @CsvSource({"7B,14", "13B,26", "70B,140", "175B,350"})
    void sixteenBitWeightsAreTwoBytesPerParameter(String size, double gb) {
        assertThat(weightsGb(size, "fp16")).isCloseTo(gb, org.assertj.core.data.Offset.offset(1e-9));
    }

    @ParameterizedTest
    @CsvSource({"7B,7", "13B,13", "70B,70", "175B,175"})
    void eightBitHalvesIt(String size, double gb) {
        assertThat(weightsGb(size, "8bit")).isCloseTo(gb, org.assertj.core.data.Offset.offset(1e-9));
    }
}
