package dev.llmplan.catalog;

import dev.llmplan.engine.ErrorBand;
import dev.llmplan.engine.EstimateKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How an estimate's kind finds its band: the most specific kind with enough runs, its scale only widening it. */
class ErrorBandTableTest {
    private static ErrorBand band(double low, double high, int cases, String key) {
        return new ErrorBand(low, high, cases, cases + " measured runs of " + EstimateKind.describe(key));
    }

    private static final String WHOLE = "transformers/qlora/bitsandbytes";
    private static final String MULTI = WHOLE + "/multi-gpu";
    private static final String ONE = WHOLE + "/one-gpu";

    private final ErrorBandTable table = new ErrorBandTable(Map.of(
            WHOLE, band(-0.18, 0.08, 50, WHOLE),
            MULTI, band(-0.10, 0.25, 20, MULTI),
            ONE, band(-0.20, 0.02, 30, ONE)));

    @Test
    void runsOnSeveralGpusThatSpreadWiderRaiseTheHighEnd() {
        ErrorBand b = table.of(EstimateKind.chain(MULTI));
        assertThat(b.high()).isEqualTo(0.25);
        assertThat(b.low()).as("the kind's lower end still applies").isEqualTo(-0.18);
        assertThat(b.cases()).isEqualTo(50);
        assertThat(b.basis()).isEqualTo("50 measured runs of transformers qlora, bitsandbytes, 20 of them on several GPUs");
    }

    @Test
    void runsOnOneGpuNeverNarrowTheirKind() {
        ErrorBand b = table.of(EstimateKind.chain(ONE));
        assertThat(b.high()).as("30 one-GPU runs alone say +2%, the whole kind +8%").isEqualTo(0.08);
        assertThat(b.low()).isEqualTo(-0.20);
    }

    @Test
    void aScaleWithFewRunsLeavesItsKindsBandAlone() {
        ErrorBandTable t = new ErrorBandTable(Map.of(
                "vllm/inference/fp8", band(-0.01, 0.02, 6, "vllm/inference/fp8"),
                "vllm/inference/fp8/multi-gpu", band(-0.01, 0.30, 2, "vllm/inference/fp8/multi-gpu")));
        ErrorBand b = t.of(EstimateKind.chain("vllm/inference/fp8/multi-gpu"));
        assertThat(b.high()).isEqualTo(0.02);
        assertThat(b.basis()).isEqualTo("6 measured runs of vllm inference, fp8");
    }

    @Test
    void aKindWithFewRunsPoolsWithTheCoarserKindAndItsScale() {
        ErrorBandTable t = new ErrorBandTable(Map.of(
                "vllm/inference/fp8", band(-0.01, 0.01, 2, "vllm/inference/fp8"),
                "vllm/inference", band(-0.02, 0.04, 55, "vllm/inference"),
                "vllm/inference/multi-gpu", band(-0.09, 0.04, 14, "vllm/inference/multi-gpu")));
        ErrorBand b = t.of(EstimateKind.chain("vllm/inference/fp8/multi-gpu"));
        assertThat(b.low()).isEqualTo(-0.09);
        assertThat(b.basis()).isEqualTo("55 measured runs of vllm inference, 14 of them on several GPUs, pooled: fewer"
                + " than 5 of vllm inference, fp8");
    }

    @Test
    void noMeasuredKindLooksRiskierThanAnUnmeasuredOne() {
        // The verdict reads the high end: an unmeasured kind's conservative band must not be the narrower one.
        ErrorBandTable builtin = ErrorBandTable.builtin();
        assertThat(builtin.kinds()).hasSizeGreaterThan(20);
        List<ErrorBand> measured = builtin.kinds().stream().map(key -> builtin.of(EstimateKind.chain(key)))
                .filter(b -> b != ErrorBandTable.CONSERVATIVE).toList();
        assertThat(measured).hasSizeGreaterThan(20)
                .allSatisfy(b -> assertThat(b.high()).as(b.basis()).isLessThan(ErrorBandTable.CONSERVATIVE.high()));
    }

    @Test
    void aKindWithNoMeasuredRunsGetsTheConservativeBand() {
        assertThat(table.of(EstimateKind.chain("llamacpp/inference/gguf/one-gpu"))).isEqualTo(ErrorBandTable.CONSERVATIVE);
    }
}
