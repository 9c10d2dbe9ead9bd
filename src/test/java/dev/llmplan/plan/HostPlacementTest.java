package dev.llmplan.plan;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.Serving;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import org.junit.jupiter.api.Test;

import static dev.llmplan.plan.PlacementTest.CATALOG;
import static dev.llmplan.plan.PlacementTest.hw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Host memory as llama.cpp uses it: layers past -ngl and experts under --cpu-moe are computed by the
 * CPU from host memory, one part after the other (time per token = GPU bytes / GPU bandwidth + host
 * bytes / host bandwidth); the CPU alone; and every plan's host memory judged against {ram}.
 */
class HostPlacementTest {
    static final ModelSpec MIXTRAL = CATALOG.model("mixtral-8x7b");
    static final ModelSpec LLAMA13 = CATALOG.model("llama-2-13b");

    static Workload w(String quant, Runtime rt, Integer cpuMoe) {
        return new Workload(Mode.INFERENCE, WeightFormat.parse(quant, null), 4096, 1, null, rt, null, 1, null,
                new Serving(null, null, null, null, false, cpuMoe, null, null, null));
    }

    static SpeedAssumptions ram(double gbps) {
        return SpeedAssumptions.DEFAULTS.withRamBandwidth(gbps);
    }

    @Test
    void expertsReadByTheCpuAddTheirTimeToTheGpusAtHostBandwidth() {
        FitResult f = FitPlanner.onHardware(MIXTRAL, w("q4_k_m", Runtime.LLAMA_CPP, Serving.ALL_LAYERS),
                hw("rtx-4060-ti-16gb"));
        Estimate e = f.estimate();
        double hostRead = e.hostExperts().readPerToken().value();
        double t1 = 1 / SpeedModel.of(f, ram(89.6)).decodeTokensPerS();
        double t2 = 1 / SpeedModel.of(f, ram(179.2)).decodeTokensPerS();
        // Doubling the RAM bandwidth halves only the host term: t1 - t2 = hostRead / (2 x 89.6e9 x 0.6).
        double eff = SpeedAssumptions.DECODE_BANDWIDTH_EFFICIENCY;
        assertThat(t1 - t2).isCloseTo(hostRead / (179.2e9 * eff), within(1e-9));
        // The GPU term: what the card reads at 288 GB/s (the 4060 Ti's catalog bandwidth) x 0.6.
        double gpu = SpeedModel.bytesReadPerStep(f) / (f.cards().get(0).gpu().bandwidthGBps() * 1e9 * eff);
        assertThat(t1).isCloseTo(gpu + hostRead / (89.6e9 * eff), within(1e-9));
        // Acceptance (issue 20): the experts, over 18 GB, in host memory; under 8 GiB on the card.
        assertThat(e.hostExperts().bytes().value()).isGreaterThan(18_000_000_000L);
        assertThat(f.maxUsedBytes()).isLessThan(8 * Bytes.GIB);
        assertThat(f.verdict().fits()).isTrue();
    }

    @Test
    void llamaCppRunsHostLayersOnTheCpuOtherRuntimesStreamThem() {
        PlanOptions ngl20 = PlanOptions.AUTO.withGpuLayers(20);
        FitResult cpp = FitPlanner.onHardware(LLAMA13, w("q4_k_m", Runtime.LLAMA_CPP, null), hw("rtx-4090"), ngl20);
        FitResult all = FitPlanner.onHardware(LLAMA13, w("q4_k_m", Runtime.LLAMA_CPP, null), hw("rtx-4090"));
        assertThat(cpp.offload().hostLayers()).isEqualTo(20);
        assertThat(cpp.hostBytes()).isGreaterThan(all.hostBytes());
        double slow = SpeedModel.of(cpp, ram(89.6)).decodeTokensPerS();
        double fast = SpeedModel.of(all, ram(89.6)).decodeTokensPerS();
        // Acceptance: measurably slower than with all 40 layers on the card.
        assertThat(slow).isLessThan(fast / 2);
        // The CPU's share depends on the host memory bandwidth, not on the PCIe link.
        assertThat(SpeedModel.of(cpp, ram(179.2)).decodeTokensPerS()).isGreaterThan(slow * 1.3);
        // transformers (accelerate offload) streams the same layers over PCIe: the RAM bandwidth does not matter.
        FitResult hf = FitPlanner.onHardware(LLAMA13, w("fp16", Runtime.TRANSFORMERS, null), hw("rtx-4090"), ngl20);
        assertThat(SpeedModel.of(hf, ram(89.6)).decodeTokensPerS())
                .isCloseTo(SpeedModel.of(hf, ram(179.2)).decodeTokensPerS(), within(1e-9));
    }

    @Test
    void theLargestGpuLayersIsTheLastThatFits() {
        Workload w = w("q4_k_m", Runtime.LLAMA_CPP, null);
        HardwareSpec card = hw("rtx-4090");
        Integer n = FitPlanner.maxGpuLayers(CATALOG.model("llama-2-70b"), w, card, PlanOptions.AUTO);
        assertThat(n).isBetween(1, 79);
        assertThat(FitPlanner.onHardware(CATALOG.model("llama-2-70b"), w, card, PlanOptions.AUTO.withGpuLayers(n))
                .verdict()).isEqualTo(Verdict.FITS);
        assertThat(FitPlanner.onHardware(CATALOG.model("llama-2-70b"), w, card, PlanOptions.AUTO.withGpuLayers(n + 1))
                .verdict()).isNotEqualTo(Verdict.FITS);
        // A model that fits whole keeps every layer.
        assertThat(FitPlanner.maxGpuLayers(LLAMA13, w, card, PlanOptions.AUTO)).isEqualTo(40);
    }

    @Test
    void theCpuAloneHoldsEverythingInHostMemoryAndReadsItAtRamBandwidth() {
        Workload w = w("q4_k_m", Runtime.LLAMA_CPP, null);
        ModelSpec llama7 = CATALOG.model("llama-2-7b");
        FitResult f = FitPlanner.onHardware(llama7, w, HardwareSpec.cpuOnly(1), PlanOptions.AUTO.withRam(Bytes.gib(32)));
        Estimate e = f.estimate();
        assertThat(f.cards()).isEmpty();
        assertThat(f.totalBytes()).isZero();
        // Everything but the CUDA context: weights (GPU and host parts), KV cache, compute buffer.
        long expected = e.total().value() - e.component(Component.OVERHEAD).value() + e.hostTotal().value();
        assertThat(f.hostBytes()).isEqualTo(expected);
        assertThat(f.verdict()).isEqualTo(Verdict.FITS);
        // decode = RAM x 0.6 / (weights x active share + KV cache); a dense model reads every weight.
        double weights = e.component(Component.WEIGHTS).value() + e.hostTotal().value();
        double read = weights + e.component(Component.KV_CACHE).value();
        assertThat(SpeedModel.of(f, ram(89.6)).decodeTokensPerS())
                .isCloseTo(89.6e9 * SpeedAssumptions.DECODE_BANDWIDTH_EFFICIENCY / read, within(1e-6));
        assertThat(SpeedModel.of(f, ram(89.6)).prefillTokensPerS()).isNull();
        FitResult small = FitPlanner.onHardware(llama7, w, HardwareSpec.cpuOnly(1), PlanOptions.AUTO.withRam(Bytes.gib(2)));
        assertThat(small.verdict()).isEqualTo(Verdict.DOES_NOT_FIT);
        assertThat(small.notes()).anyMatch(n -> n.contains("{ram}"));
    }

    @Test
    void aPlanWhoseHostMemoryExceedsRamDoesNotFit() {
        Workload w = w("q4_k_m", Runtime.LLAMA_CPP, Serving.ALL_LAYERS);
        FitResult roomy = FitPlanner.onHardware(MIXTRAL, w, hw("rtx-4060-ti-16gb"), PlanOptions.AUTO.withRam(Bytes.gib(64)));
        FitResult tight = FitPlanner.onHardware(MIXTRAL, w, hw("rtx-4060-ti-16gb"), PlanOptions.AUTO.withRam(Bytes.gib(16)));
        assertThat(roomy.verdict().fits()).isTrue();
        assertThat(tight.verdict()).isEqualTo(Verdict.DOES_NOT_FIT);
        assertThat(tight.notes()).anyMatch(n -> n.contains("more than the 16.00 GiB of {ram}"));
        // The cards alone would fit: only the host memory decides.
        assertThat(tight.cards().get(0).verdict().fits()).isTrue();
    }
}
