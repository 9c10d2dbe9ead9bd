package dev.llmplan.bench;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import dev.llmplan.plan.RecommendRequest;
import dev.llmplan.plan.RecommendResult;
import dev.llmplan.plan.Recommender;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** In-process cost of the three things a command does: load the catalog, estimate, search hardware. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PlannerBenchmark {
    private Catalog catalog;
    private ModelSpec llama70b;
    private Workload int4;

    @Setup
    public void setUp() {
        catalog = CatalogLoader.builtin();
        llama70b = catalog.model("llama-2-70b");
        int4 = Workload.inference(WeightFormat.parse("int4", null));
    }

    @Benchmark
    public Catalog loadBuiltinCatalog() {
        return CatalogLoader.builtin();
    }

    @Benchmark
    public Estimate estimateOneWorkload() {
        return MemoryEstimator.estimate(llama70b, int4);
    }

    @Benchmark
    public RecommendResult recommendOverTheWholeCatalog() {
        return Recommender.recommend(llama70b, int4, catalog.gpus(), catalog.systems(), RecommendRequest.defaults());
    }
}
