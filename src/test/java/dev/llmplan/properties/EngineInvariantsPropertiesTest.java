package dev.llmplan.properties;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.BareSize;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.plan.Placement;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Invariants that hold for every valid input, up to absurd sizes (README "Invariants"). */
class EngineInvariantsPropertiesTest {
    private static final Catalog CATALOG = CatalogLoader.builtin();
    private static final List<ModelSpec> OPEN = CATALOG.models().stream()
            .filter(m -> m.openWeights() && m.hasParameters()).toList();
    private static final List<String> FORMATS = List.of("fp32", "fp16", "int8", "int4", "nf4-dq", "gptq-4bit", "fp8");

    @Provide
    Arbitrary<ModelSpec> models() {
        return Arbitraries.of(OPEN);
    }

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of(FORMATS);
    }

    private static Workload workload(String quant, int context, int batch) {
        return new Workload(Mode.INFERENCE, WeightFormat.parse(quant, null), context, batch, null, null, null, 1, null);
    }

    private static int ctx(ModelSpec m, int c) {
        Integer max = m.maxContext();
        return max == null ? c : Math.min(c, max);
    }

    @Property(tries = 200)
    void totalIsTheSumOfNonNegativeComponents(@ForAll("models") ModelSpec m, @ForAll("formats") String quant,
                                              @ForAll @IntRange(min = 1, max = 1 << 20) int context,
                                              @ForAll @IntRange(min = 1, max = 4096) int batch) {
        Estimate e = MemoryEstimator.estimate(m, workload(quant, ctx(m, context), batch));
        long sum = 0;
        for (Map.Entry<Component, Bytes> c : e.components().entrySet()) {
            assertThat(c.getValue().value()).isNotNegative();
            sum = Math.addExact(sum, c.getValue().value());
        }
        assertThat(e.total().value()).isEqualTo(sum);
    }

    @Property(tries = 200)
    void memoryNeverDecreasesWhenContextOrBatchGrow(@ForAll("models") ModelSpec m, @ForAll("formats") String quant,
                                                    @ForAll @IntRange(min = 1, max = 1 << 17) int context,
                                                    @ForAll @IntRange(min = 1, max = 256) int batch) {
        int c = ctx(m, context);
        long base = MemoryEstimator.estimate(m, workload(quant, c, batch)).total().value();
        long longer = MemoryEstimator.estimate(m, workload(quant, ctx(m, c * 2), batch)).total().value();
        long wider = MemoryEstimator.estimate(m, workload(quant, c, batch * 2)).total().value();
        assertThat(longer).isGreaterThanOrEqualTo(base);
        assertThat(wider).isGreaterThanOrEqualTo(base);
    }

    @Property(tries = 200)
    void memoryNeverDecreasesWithMoreBitsPerWeight(@ForAll("models") ModelSpec m) {
        long previous = 0;
        for (String q : List.of("nf4-dq", "int4", "int8", "fp16", "fp32")) {
            long w = MemoryEstimator.estimate(m, workload(q, ctx(m, 2048), 1)).component(Component.WEIGHTS).value();
            assertThat(w).as(q).isGreaterThanOrEqualTo(previous);
            previous = w;
        }
    }

    /**
     * Issue 16 #11: fine-tuning on a lower-bit base never needs more memory at the same (default) settings,
     * except by the one cited mechanism: PEFT's prepare_model_for_kbit_training casts every parameter
     * bitsandbytes left in 16 bits (embeddings, head, norms) to fp32 (peft src/peft/utils/other.py), which
     * outweighs the 8-bit saving on embedding-heavy models (deberta-v3-base: 98M of its 184M parameters are
     * the 128k-token embedding). With checkpointing forced off an 8-bit base needs more activation memory
     * too (the fp32 residual stream: +28.5% peak in bitsandbytes issue #1569, +35% in TRL PR #4335), so the
     * defaults are compared: the kbit recipe turns checkpointing on, as QLoRA does. (QLoRA mode has other
     * defaults, rank 64 among them, so it is not "the same settings".)
     */
    @Test
    void fineTuningOnFewerBitsNeverNeedsMoreMemoryAtDefaultSettings() {
        int compared = 0;
        for (ModelSpec m : OPEN) {
            for (int[] cb : new int[][] {{512, 1}, {2048, 4}}) {
                Estimate fp16 = peft(m, "fp16", cb[0], cb[1]);
                Estimate int8 = peft(m, "int8", cb[0], cb[1]);
                Estimate nf4 = peft(m, "nf4-dq", cb[0], cb[1]);
                if (fp16 == null || int8 == null || nf4 == null) {
                    continue;
                }
                compared++;
                assertThat(int8.total().value() - kbitUpcast(int8)).as("%s lora int8 (less the fp32 upcast) vs fp16 at %d x %d",
                        m.id(), cb[0], cb[1]).isLessThanOrEqualTo(fp16.total().value());
                assertThat(nf4.total()).as("%s lora nf4-dq vs int8 at %d x %d", m.id(), cb[0], cb[1])
                        .isLessThanOrEqualTo(int8.total());
            }
        }
        assertThat(compared).isGreaterThan(100);
        // The case the issue reported: qwen2.5-0.5b needed 11.99 GB in int8 against 11.21 GB in fp16.
        ModelSpec qwen = OPEN.stream().filter(m -> m.id().equals("qwen2.5-0.5b")).findFirst().orElseThrow();
        assertThat(peft(qwen, "int8", 4096, 1).total()).isLessThan(peft(qwen, "fp16", 4096, 1).total());
    }

    private static Estimate peft(ModelSpec m, String quant, int context, int batch) {
        try {
            return MemoryEstimator.estimate(m, new Workload(Mode.LORA, WeightFormat.parse(quant, null), ctx(m, context), batch,
                    null, null, null, 1, null));
        } catch (dev.llmplan.engine.LlmplanException e) {
            return null;
        }
    }

    /** Bytes prepare_model_for_kbit_training adds by upcasting the unquantised parameters to fp32. */
    private static long kbitUpcast(Estimate e) {
        long sum = 0;
        for (dev.llmplan.engine.Part p : e.parts()) {
            sum += p.formula().startsWith("prepare_model_for_kbit_training") ? p.bytes().value() : 0;
        }
        return sum;
    }

    @Property(tries = 200)
    void memoryGrowsWithParameterCountUpToAbsurdSizes(@ForAll @LongRange(min = 1_000, max = 1_000_000_000_000_000L) long params) {
        long a = MemoryEstimator.estimate(BareSize.of(Long.toString(params)), workload("fp16", 4096, 1)).total().value();
        long b = MemoryEstimator.estimate(BareSize.of(Long.toString(Math.min(params * 2, 1_000_000_000_000_000L))),
                workload("fp16", 4096, 1)).total().value();
        assertThat(a).isPositive();
        assertThat(b).isGreaterThanOrEqualTo(a);
    }

    @Property(tries = 100)
    void absurdContextsAndBatchesGiveCorrectLargeNumbersOrAClearError(@ForAll @IntRange(min = 1, max = 10_000_000) int context,
                                                                   @ForAll @IntRange(min = 1, max = 1_000_000) int batch) {
        ModelSpec m = BareSize.of("1e15");
        try {
            Estimate e = MemoryEstimator.estimate(m, workload("fp16", context, batch));
            assertThat(e.total().value()).isPositive();
            // The KV cache is linear in tokens: 2 x layers x 8 KV heads x 128 x 2 B per token (DESIGN §3).
            long perToken = 2L * m.arch().layers() * 8 * 128 * 2;
            assertThat(e.component(Component.KV_CACHE).value()).isEqualTo(perToken * context * batch);
        } catch (LlmplanException tooLarge) {
            assertThat(tooLarge.getMessage()).contains("exceeds 8 EiB");
        }
    }

    /** Models that tensor parallelism can split over 16 cards, so the strategy stays the same as cards are added. */
    @Provide
    Arbitrary<ModelSpec> tensorParallelModels() {
        return Arbitraries.of(OPEN.stream().filter(m -> m.arch().heads() != null && m.arch().heads() % 16 == 0).toList());
    }

    @Property(tries = 100)
    void perCardMemoryNeverGrowsWhenCardsAreAdded(@ForAll("tensorParallelModels") ModelSpec m,
                                                  @ForAll @IntRange(min = 1, max = 4) int k) {
        var gpu = CATALOG.gpu("h100-sxm5");
        long previous = Long.MAX_VALUE;
        for (int n = 1; n <= (1 << k); n *= 2) {
            Estimate e = MemoryEstimator.estimate(m, workload("fp16", ctx(m, 4096), 1).withGpuCount(n));
            long perCard = Placement.place(e, HardwareSpec.of(gpu, n)).maxUsedBytes();
            assertThat(perCard).isLessThanOrEqualTo(previous);
            previous = perCard;
        }
    }
}
