package dev.llmplan.plan;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.Currency;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A card software sees as several devices (an MI250X: two 64 GiB GCDs, Pawsey Setonix docs) is planned as
 * those devices, and a unified-memory module (Apple, Jetson) is never ganged.
 */
class MultiDeviceCardTest {
    static final Catalog CATALOG = CatalogLoader.builtin();

    static HardwareSpec parse(String text) {
        return HardwareParser.parse(text, 1, new HardwareParser.Lookup() {
            @Override
            public Optional<GpuSpec> gpu(String name) {
                return CATALOG.findGpu(name);
            }

            @Override
            public Optional<dev.llmplan.engine.SystemSpec> system(String name) {
                return CATALOG.findSystem(name);
            }

            @Override
            public dev.llmplan.engine.LlmplanException unknown(String name) {
                return Catalog.unknown("GPU", name, CATALOG.hardwareIds());
            }
        });
    }

    @Test
    void oneMi250xIsTwoDevicesAndOnePrice() {
        HardwareSpec hw = parse("2x mi250x");
        assertThat(hw.gpuCount()).isEqualTo(4);
        assertThat(hw.cards()).hasSize(4).allMatch(g -> g.memoryGiB() == 64);
        assertThat(hw.label()).isEqualTo("2x mi250x (4 devices)");
        assertThat(hw.totalMemory().gib()).isEqualTo(256);
        assertThat(parse("a100-80gb").gpuCount()).isEqualTo(1);
    }

    @Test
    void aModelLargerThanOneGcdDoesNotFitOnASingleGpu() {
        // 70B in 8-bit: about 68 GiB with its KV cache and overhead, more than one 64 GiB GCD.
        ModelSpec bare = dev.llmplan.engine.BareSize.of("70B");
        Workload w = Workload.inference(WeightFormat.parse("int8", null));
        FitResult onOne = FitPlanner.onHardware(bare, w, HardwareSpec.of(CATALOG.gpu("mi210"), 1));
        assertThat(onOne.verdict().fits()).isFalse(); // a single-GCD 64 GiB card
        FitResult onMi250x = FitPlanner.onHardware(bare, w.withGpuCount(2), parse("mi250x"));
        assertThat(onMi250x.strategy()).isNotEqualTo(Strategy.SINGLE);
        assertThat(onMi250x.cards()).hasSize(2);
        assertThat(onMi250x.verdict().fits()).isTrue();
        assertThat(onMi250x.cards()).allMatch(c -> c.capacity().gib() <= 64);
    }

    @Test
    void recommendPutsAtMostEightDevicesInANodeAndNeverGangsUnifiedMemory() {
        ModelSpec llama = CATALOG.model("llama-2-70b");
        Workload w = Workload.inference(WeightFormat.parse("fp16", null));
        RecommendRequest r = new RecommendRequest(SortKey.GPUS, 500, null, null, null, RecommendRequest.Category.ANY,
                false, PlanOptions.AUTO, SpeedAssumptions.DEFAULTS);
        var rows = Recommender.recommend(llama, w, CATALOG.gpus(), CATALOG.systems(), r).rows();
        assertThat(rows).filteredOn(rec -> rec.fit().hardware().label().contains("mi250x"))
                .isNotEmpty().allMatch(rec -> rec.fit().hardware().gpuCount() / rec.fit().hardware().nodes() <= 8);
        assertThat(rows).filteredOn(rec -> rec.fit().hardware().cards().get(0).unifiedMemory())
                .allMatch(rec -> rec.fit().hardware().gpuCount() == 1);
    }

    @Test
    void aPurchaseIsPricedPerCardInEitherCurrency() {
        HardwareSpec hw = parse("2x rtx-4090");
        assertThat(hw.purchase(Currency.USD).amount()).isEqualTo(2 * 1599);
        assertThat(hw.purchase(Currency.USD).converted()).isFalse();
        assertThat(hw.purchase(Currency.JPY).amount()).isEqualTo(2 * 1599 * 150.0);
        assertThat(hw.purchase(Currency.JPY).converted()).isTrue();
        assertThat(parse("dgx-a100").purchase(Currency.JPY).amount()).isEqualTo(50_000_000);
    }
}
