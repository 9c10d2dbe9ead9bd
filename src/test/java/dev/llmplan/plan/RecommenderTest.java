package dev.llmplan.plan;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecommenderTest {
    static final Catalog CATALOG = CatalogLoader.builtin();
    static final ModelSpec LLAMA70 = CATALOG.model("llama-2-70b");
    static final Workload INT4 = Workload.inference(WeightFormat.parse("int4", null));

    static RecommendRequest req(SortKey sort, Integer maxGpus, Double budget) {
        return new RecommendRequest(sort, 50, maxGpus, budget, null, RecommendRequest.Category.ANY, false,
                PlanOptions.AUTO, SpeedAssumptions.DEFAULTS);
    }

    static RecommendResult run(RecommendRequest r) {
        return Recommender.recommend(LLAMA70, INT4, CATALOG.gpus(), CATALOG.systems(), r);
    }

    @Test
    void cheapestFittingConfigurationRanksFirstAndNothingThatDoesNotFitIsListed() {
        List<Recommendation> rows = run(req(SortKey.COST, null, null)).rows();
        assertThat(rows).isNotEmpty();
        assertThat(rows).allMatch(r -> r.fit().verdict().fits());
        List<Double> priced = rows.stream().map(Recommendation::costUsd).takeWhile(c -> c != null).toList();
        assertThat(priced).isSortedAccordingTo(Double::compare);
        // every fitting configuration with a known price costs at least the first one
        assertThat(rows.stream().filter(r -> r.costUsd() != null)).allMatch(r -> r.costUsd() >= rows.get(0).costUsd());
        // a single RTX 4090 (24 GiB) cannot hold 70B at 4 bits (~37 GiB): never listed
        assertThat(rows).noneMatch(r -> r.fit().hardware().label().equals("rtx-4090"));
    }

    @Test
    void maxGpusAndBudgetFilter() {
        List<Recommendation> one = run(req(SortKey.COST, 1, null)).rows();
        assertThat(one).isNotEmpty().allMatch(r -> r.fit().hardware().gpuCount() == 1);
        List<Recommendation> cheap = run(req(SortKey.COST, null, 3000.0)).rows();
        assertThat(cheap).isNotEmpty().allMatch(r -> r.costUsd() != null && r.costUsd() <= 3000);
    }

    @Test
    void speedSortPutsFastestDecodeFirst() {
        List<Recommendation> rows = run(req(SortKey.SPEED, null, null)).rows();
        List<Double> speeds = rows.stream().map(r -> r.speed().decodeTokensPerS()).takeWhile(s -> s != null).toList();
        assertThat(speeds).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void tensorParallelIsOnlyUsedWhereHeadsDivide() {
        List<Recommendation> rows = run(req(SortKey.COST, null, null)).rows();
        for (Recommendation r : rows) {
            if (r.fit().kind() == Strategy.TENSOR) {
                int perNode = r.fit().hardware().gpuCount() / r.fit().hardware().nodes();
                assertThat(TensorParallelCheck.problem(LLAMA70.arch(), perNode)).isNull();
            }
        }
    }

    @Test
    void whenNothingFitsItSaysWhatWould() {
        RecommendResult r = Recommender.recommend(LLAMA70, Workload.inference(WeightFormat.parse("fp16", null)),
                CATALOG.gpus(), CATALOG.systems(), req(SortKey.COST, 1, 5000.0));
        assertThat(r.rows()).isEmpty();
        assertThat(String.join("\n", r.suggestions())).contains("{quant} int4").contains("offload");
    }

    /**
     * A tight configuration is not recommended, so it must not end the search over node counts: 175B trained in bf16
     * on MI300X nodes is tight on 2 nodes (the high end of its band passes the headroom) and fits on 4, which is what
     * recommend lists.
     */
    @Test
    void aTightNodeCountDoesNotHideTheNextOneThatFits() {
        ModelSpec gpt3 = dev.llmplan.engine.BareSize.of("175B");
        Workload train = Workload.inference(WeightFormat.parse("bf16", null)).withMode(dev.llmplan.engine.Mode.TRAIN)
                .withContext(4096);
        dev.llmplan.engine.GpuSpec mi300x = CATALOG.findGpu("mi300x").orElseThrow();
        PlanOptions banded = PlanOptions.AUTO.withBands(dev.llmplan.catalog.ErrorBandTable.builtin());
        RecommendResult r = Recommender.recommend(gpt3, train, List.of(mi300x), List.of(), new RecommendRequest(SortKey.COST,
                50, null, null, null, RecommendRequest.Category.ANY, false, banded, SpeedAssumptions.DEFAULTS));
        assertThat(r.rows()).extracting(row -> row.fit().hardware().label()).contains("4 nodes x (8x mi300x)")
                .doesNotContain("2 nodes x (8x mi300x)");
        FitResult two = FitPlanner.onHardware(gpt3, train, new HardwareSpec(List.of(new HardwareSpec.Group(mi300x, 8, null)),
                2), banded.withStrategy(Strategy.TENSOR));
        assertThat(two.verdict()).isEqualTo(Verdict.TIGHT);
    }
}
