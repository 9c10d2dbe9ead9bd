package dev.llmplan.planfile;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import dev.llmplan.plan.FitPlanner;
import dev.llmplan.plan.FitResult;
import dev.llmplan.plan.HardwareSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DecodeSpeedTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();

    /** tokens/s = bandwidth x efficiency / (weights + KV): DESIGN.md section 3, memory-bound decode. */
    @Test
    void singleCardIsBandwidthTimesEfficiencyOverBytesRead() {
        ModelSpec m = CATALOG.findModel("llama-2-7b").orElseThrow();
        var gpu = CATALOG.findGpu("a100-80gb-sxm4").orElseThrow();
        FitResult fit = FitPlanner.onHardware(m, Workload.inference(WeightFormat.parse("fp16", null)), HardwareSpec.of(gpu, 1));
        double bytes = fit.estimate().component(Component.WEIGHTS).value() + fit.estimate().component(Component.KV_CACHE).value();
        DecodeSpeed.Result r = DecodeSpeed.estimate(fit);
        assertThat(r.bytesPerStep()).isEqualTo((long) bytes);
        assertThat(r.perSequence()).isCloseTo(gpu.bandwidthGBps() * 1e9 * 0.6 / bytes, within(1e-6));
        // A100 80GB SXM: 2039 GB/s; Llama 2 7B fp16 ~13.5 GB of weights + 2 GiB KV at 4k: about 80 tokens/s at 60%
        assertThat(r.perSequence()).isBetween(70.0, 90.0);
        assertThat(r.aggregate()).isEqualTo(r.perSequence());
    }

    @Test
    void batchSharesTheWeightReadAndTensorParallelSplitsIt() {
        ModelSpec m = CATALOG.findModel("llama-2-13b").orElseThrow();
        var gpu = CATALOG.findGpu("h100-sxm5").orElseThrow();
        Workload w = new Workload(dev.llmplan.engine.Mode.INFERENCE, WeightFormat.parse("fp16", null), 4096, 8, null,
                Runtime.VLLM, null, 1, null);
        DecodeSpeed.Result one = DecodeSpeed.estimate(FitPlanner.onHardware(m, w, HardwareSpec.of(gpu, 1)));
        DecodeSpeed.Result two = DecodeSpeed.estimate(FitPlanner.onHardware(m, w, HardwareSpec.of(gpu, 2)));
        assertThat(one.aggregate()).isCloseTo(one.perSequence() * 8, within(1e-6));
        // vLLM tensor parallel: each of two identical cards streams half the bytes at the same time
        assertThat(two.perSequence()).isCloseTo(one.perSequence() * 2, within(one.perSequence() * 0.02));
        Workload layered = w.withBatch(1);
        Workload llamaCpp = new Workload(layered.mode(), layered.format(), 4096, 1, null, Runtime.LLAMA_CPP, null, 1, null);
        DecodeSpeed.Result split = DecodeSpeed.estimate(FitPlanner.onHardware(m, llamaCpp, HardwareSpec.of(gpu, 2)));
        DecodeSpeed.Result single = DecodeSpeed.estimate(FitPlanner.onHardware(m, llamaCpp, HardwareSpec.of(gpu, 1)));
        // llama.cpp layer split: the cards run one after another, so two cards are no faster than one
        assertThat(split.perSequence()).isCloseTo(single.perSequence(), within(single.perSequence() * 0.02));
    }
}
