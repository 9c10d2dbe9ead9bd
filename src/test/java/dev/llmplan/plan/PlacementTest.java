package dev.llmplan.plan;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.Architecture;
import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.KvFormat;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.MultiGpuSplit;
import dev.llmplan.engine.Part;
import dev.llmplan.engine.Runtime;
import dev.llmplan.engine.RuntimeVersion;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PlacementTest {
    static final Catalog CATALOG = CatalogLoader.builtin();
    static final ModelSpec LLAMA70 = CATALOG.model("llama-2-70b");

    static HardwareSpec hw(String text) {
        return HardwareParser.parse(text, 1, new HardwareParser.Lookup() {
            public java.util.Optional<dev.llmplan.engine.GpuSpec> gpu(String n) {
                return CATALOG.findGpu(n);
            }

            public java.util.Optional<dev.llmplan.engine.SystemSpec> system(String n) {
                return CATALOG.findSystem(n);
            }

            public dev.llmplan.engine.LlmplanException unknown(String n) {
                return Catalog.unknown("GPU", n, CATALOG.hardwareIds());
            }
        });
    }

    static Workload w(String quant) {
        return Workload.inference(WeightFormat.parse(quant, null));
    }

    @Test
    void tensorParallelNeedsHeadsAndKvHeadsDivisible() {
        Architecture a = Architecture.builder().build().toBuilder().build();
        Architecture llama = LLAMA70.arch(); // 64 heads, 8 KV heads
        assertThat(TensorParallelCheck.problem(llama, 8)).isNull();
        assertThat(TensorParallelCheck.problem(llama, 3)).contains("64 attention heads are not divisible by 3");
        // 16 > 8 KV heads: vLLM replicates them, each card keeping 1/8 of the cache
        assertThat(TensorParallelCheck.problem(llama, 16)).isNull();
        assertThat(TensorParallelCheck.kvShare(llama, 16)).isEqualTo(1.0 / 8);
        assertThat(TensorParallelCheck.problem(a, 3)).isNull(); // unknown heads: nothing to check
    }

    @Test
    void explicitTensorParallelOnThreeCardsIsBlockedAndAutoFallsBackToLayers() {
        HardwareSpec three = hw("3x a100-80gb-sxm4");
        FitResult tp = FitPlanner.onHardware(LLAMA70, w("fp16"), three, PlanOptions.AUTO.withStrategy(Strategy.TENSOR));
        assertThat(tp.verdict()).isEqualTo(Verdict.DOES_NOT_FIT);
        assertThat(tp.blocker()).contains("not divisible by 3");
        FitResult auto = FitPlanner.onHardware(LLAMA70, w("fp16"), three);
        assertThat(auto.kind()).isEqualTo(Strategy.LAYERS);
        assertThat(auto.verdict().fits()).isTrue();
        assertThat(auto.cards()).extracting(CardLoad::layers).containsExactly(27, 27, 26);
    }

    @Test
    void layerSplitIsWholeLayersProportionalToFreeMemory() {
        assertThat(LayerSplit.split(80, new double[]{20, 10})).containsExactly(53, 27);
        assertThat(LayerSplit.split(7, new double[]{0, 0})).containsExactly(4, 3);
        FitResult mixed = FitPlanner.onHardware(LLAMA70, w("q4_k_m"), hw("rtx-4090,rtx-3060-12gb"));
        assertThat(mixed.kind()).isEqualTo(Strategy.LAYERS);
        int big = mixed.cards().get(0).layers();
        int small = mixed.cards().get(1).layers();
        assertThat(big + small).isEqualTo(80);
        // free memory after the per-card overhead is about 23.4 vs 11.4 GiB: roughly 2:1
        assertThat(big / (double) small).isBetween(1.8, 2.3);
        assertThat(mixed.cards().get(0).used().value()).isGreaterThan(mixed.cards().get(1).used().value());
    }

    /**
     * NCCL's communicator buffers (NcclBuffers: 24 channels x 12 MiB + 256 MiB = 544 MiB for two GPUs, NVIDIA/nccl#964)
     * are not the runtime's reserve: {reserve} leaves them, and model-parallel training, whose estimate is one
     * replica's, still pays them on every card as data-parallel training does.
     */
    @Test
    void everyCardOfMultiGpuTrainingHoldsNcclsBuffersWhateverTheSplitOrReserve() {
        HardwareSpec two = hw("2x a100-80gb-sxm4");
        Workload train = Workload.inference(WeightFormat.parse("bf16", null)).withMode(Mode.TRAIN).withContext(2048);
        ModelSpec llama7 = CATALOG.model("llama-2-7b");
        FitResult dp = FitPlanner.onHardware(llama7, train, two, PlanOptions.AUTO.withStrategy(Strategy.DATA));
        assertThat(dp.estimate().parts()).filteredOn(p -> p.role() == Part.Role.NCCL_BUFFERS)
                .extracting(p -> p.bytes().value()).containsExactly(544 * Bytes.MIB);
        long runtime = Placement.overheadPerGpu(dp.estimate());
        FitResult reserved = FitPlanner.onHardware(llama7, train, two,
                new PlanOptions(Strategy.DATA, Bytes.gib(4), null));
        assertThat(reserved.cards().get(0).used().value() - dp.cards().get(0).used().value())
                .isEqualTo(4 * Bytes.GIB - runtime);
        for (Strategy s : List.of(Strategy.TENSOR, Strategy.LAYERS)) {
            FitResult mp = FitPlanner.onHardware(llama7, train, two, PlanOptions.AUTO.withStrategy(s));
            assertThat(mp.estimate().parts()).noneMatch(p -> p.role() == Part.Role.NCCL_BUFFERS);
            assertThat(mp.cards().get(0).parts().get(Component.OVERHEAD))
                    .isEqualTo(Placement.overheadPerGpu(mp.estimate()) + 544 * Bytes.MIB);
        }
    }

    @Test
    void reserveReplacesTheRuntimeOverheadOnEveryCard() {
        HardwareSpec two = hw("2x a100-80gb-sxm4");
        FitResult base = FitPlanner.onHardware(LLAMA70, w("fp16"), two);
        FitResult reserved = FitPlanner.onHardware(LLAMA70, w("fp16"), two,
                new PlanOptions(null, Bytes.gib(4), null));
        long overhead = Placement.overheadPerGpu(base.estimate());
        for (int i = 0; i < 2; i++) {
            assertThat(reserved.cards().get(i).used().value() - base.cards().get(i).used().value())
                    .isEqualTo(4 * Bytes.GIB - overhead);
        }
    }

    @Test
    void offloadKeepsTrailingLayersInRamAndStatesTheSlowdown() {
        HardwareSpec one = hw("rtx-4090");
        FitResult none = FitPlanner.onHardware(LLAMA70, w("q4_k_m"), one);
        assertThat(none.verdict()).isEqualTo(Verdict.DOES_NOT_FIT);
        FitResult off = FitPlanner.onHardware(LLAMA70, w("q4_k_m"), one, new PlanOptions(null, null, Bytes.gib(64)));
        assertThat(off.verdict().fits()).isTrue();
        OffloadPlan p = off.offload();
        assertThat(p.gpuLayers()).isBetween(30, 50);
        assertThat(p.hostLayers() + p.gpuLayers()).isEqualTo(80);
        Speed s = SpeedModel.of(off, SpeedAssumptions.DEFAULTS);
        // host bytes cross PCIe 4.0 x16 at 31.5 x 0.8 = 25.2 GB/s against 1008 GB/s x 0.6 on the card
        assertThat(s.decodeTokensPerS()).isLessThan(s.decodeInVram() / 5);
        assertThat(PcieLink.of(CATALOG.gpu("rtx-4090")).effectiveGBps()).isCloseTo(25.2, within(0.05));
        FitResult tooLittle = FitPlanner.onHardware(LLAMA70, w("q4_k_m"), one, new PlanOptions(null, null, Bytes.gib(8)));
        assertThat(tooLittle.verdict()).isEqualTo(Verdict.DOES_NOT_FIT);
        assertThat(tooLittle.hostBytes()).isGreaterThan(tooLittle.offload().hostRam().value());
    }

    @Test
    void decodeIsBandwidthBoundAndTensorParallelAddsBandwidth() {
        FitResult one = FitPlanner.onHardware(LLAMA70, w("int4"), hw("a100-80gb-sxm4"));
        Speed s = SpeedModel.of(one, SpeedAssumptions.DEFAULTS);
        var e = one.estimate();
        double bytes = e.component(dev.llmplan.engine.Component.WEIGHTS).value()
                + e.component(dev.llmplan.engine.Component.KV_CACHE).value();
        assertThat(s.decodeTokensPerS()).isCloseTo(2039e9 * 0.6 / bytes, within(0.01));
        // prefill: 2 x params per token over 312 TFLOPS x 0.462
        assertThat(s.prefillTokensPerS()).isCloseTo(312e12 * 0.462 / (2.0 * e.activeParameters()), within(0.5));
        Speed four = SpeedModel.of(FitPlanner.onHardware(LLAMA70, w("int4"), hw("4x a100-80gb-sxm4"),
                new PlanOptions(Strategy.TENSOR, null, null)), SpeedAssumptions.DEFAULTS);
        assertThat(four.decodeTokensPerS()).isCloseTo(4 * s.decodeTokensPerS(), within(0.01 * s.decodeTokensPerS()));
        // transformers' device_map="auto" runs the cards one after another: no faster than one card.
        FitResult layers = FitPlanner.onHardware(LLAMA70, w("int4"), hw("4x a100-80gb-sxm4"));
        assertThat(layers.strategy()).contains("layer");
        assertThat(SpeedModel.of(layers, SpeedAssumptions.DEFAULTS).decodeTokensPerS())
                .isLessThanOrEqualTo(s.decodeTokensPerS() * 1.01);
    }

    @Test
    void moeDecodeUsesActiveParameters() {
        ModelSpec mixtral = CATALOG.model("mixtral-8x7b");
        FitResult f = FitPlanner.onHardware(mixtral, w("int4"), hw("a100-80gb-sxm4"));
        Speed s = SpeedModel.of(f, SpeedAssumptions.DEFAULTS);
        var e = f.estimate();
        assertThat(e.activeParameters()).isLessThan(e.parameters() / 3);
        double weights = e.component(dev.llmplan.engine.Component.WEIGHTS).value();
        assertThat(s.decodeTokensPerS()).isGreaterThan(2039e9 * 0.6 / weights * 2);
        assertThat(List.of(MemoryEstimator.estimate(mixtral, w("int4")).parameters())).containsExactly(e.parameters());
    }

    /** A runtime the planner has never heard of: half of each card, tensor parallel when it can. */
    record HalfCardRuntime(RuntimeVersion version) implements Runtime {
        public Runtime withVersion(RuntimeVersion v) {
            return new HalfCardRuntime(v);
        }

        public String id() {
            return "half-card";
        }

        public boolean supportsKv(KvFormat kv) {
            return true;
        }

        public long perGpuOverheadBytes() {
            return 0;
        }

        public String overheadSource() {
            return "test";
        }

        public Part activations(Architecture a, Workload w, int context) {
            return Part.perGpu(Component.ACTIVATIONS, Bytes.ZERO, "none", "test");
        }

        public MultiGpuSplit multiGpuSplit() {
            return MultiGpuSplit.TENSOR;
        }

        public double cardCapacity(double usableBytes, Workload w) {
            return usableBytes / 2;
        }
    }

    @Test
    void placementAsksTheRuntimeForItsSplitAndTheCardMemoryItUses() {
        HardwareSpec two = hw("2x a100-80gb-sxm4");
        Workload half = new Workload(Mode.INFERENCE, WeightFormat.parse("fp16", null), 4096, 1, null,
                new HalfCardRuntime(RuntimeVersion.CURRENT), null, 2, null);
        FitResult r = FitPlanner.onHardware(LLAMA70, half, two);
        assertThat(r.kind()).isEqualTo(Strategy.TENSOR);
        assertThat(r.cards().get(0).capacity().value())
                .isEqualTo((long) Math.floor(two.cards().get(0).usableMemory().value() / 2.0));
        // transformers splits whole layers by itself (device_map="auto") and uses the whole card.
        FitResult hf = FitPlanner.onHardware(LLAMA70, w("fp16"), two);
        assertThat(hf.kind()).isEqualTo(Strategy.LAYERS);
        assertThat(hf.cards().get(0).capacity().value()).isEqualTo(two.cards().get(0).usableMemory().value());
    }
}
