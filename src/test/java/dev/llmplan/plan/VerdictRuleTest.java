package dev.llmplan.plan;

import dev.llmplan.catalog.Catalog;
import dev.llmplan.catalog.CatalogLoader;
import dev.llmplan.engine.ErrorBand;
import dev.llmplan.engine.ErrorBands;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one verdict rule (issue 15, DESIGN "verdict"): "fits" only when the high end of the error band
 * leaves the margin of the card free, "tight" when only the estimate fits, "does not fit" when the
 * estimate itself exceeds the card.
 */
class VerdictRuleTest {
    private static final long GIB = 1L << 30;
    private static final ErrorBand PLUS_20 = new ErrorBand(-0.05, 0.20, 40, "test band");

    @Test
    void thePolicyJudgesTheHighEndAgainstTheCardLessItsMargin() {
        HeadroomPolicy p = HeadroomPolicy.DEFAULT;
        long card = 24 * GIB;
        // 18 GiB x 1.2 = 21.6 GiB <= 22.8 GiB (95% of 24): fits
        assertThat(p.verdict(card, 18 * GIB, PLUS_20)).isEqualTo(Verdict.FITS);
        // 20 GiB x 1.2 = 24 GiB > 22.8 GiB, but 20 GiB <= 24 GiB: tight
        assertThat(p.verdict(card, 20 * GIB, PLUS_20)).isEqualTo(Verdict.TIGHT);
        // 24 GiB exactly still fits the card: tight; one byte more does not fit
        assertThat(p.verdict(card, card, PLUS_20)).isEqualTo(Verdict.TIGHT);
        assertThat(p.verdict(card, card + 1, PLUS_20)).isEqualTo(Verdict.DOES_NOT_FIT);
        // without a band the margin alone decides
        assertThat(p.verdict(card, 22 * GIB, ErrorBand.NONE)).isEqualTo(Verdict.FITS);
        assertThat(p.verdict(card, 23 * GIB, ErrorBand.NONE)).isEqualTo(Verdict.TIGHT);
    }

    @Test
    void aPlacementIsJudgedWithTheBandOfItsEstimate() {
        Catalog c = CatalogLoader.builtin();
        ModelSpec m = c.model("llama-2-13b");
        Estimate e = MemoryEstimator.estimate(m, Workload.inference(WeightFormat.parse("fp16", null)).withContext(4096));
        HardwareSpec a100 = HardwareSpec.of(c.gpu("a100-40gb-pcie"), 1);
        ErrorBands none = (x, gpus) -> ErrorBand.NONE;
        ErrorBands wide = (x, gpus) -> new ErrorBand(-0.1, 0.5, 99, "wide");
        FitResult plain = Placement.place(e, a100, PlanOptions.AUTO.withBands(none));
        FitResult banded = Placement.place(e, a100, PlanOptions.AUTO.withBands(wide));
        long used = plain.maxUsedBytes();
        long capacity = plain.cards().get(0).capacity().value();
        // the same bytes either way; only the verdict moves with the band
        assertThat(banded.maxUsedBytes()).isEqualTo(used);
        assertThat(used * 1.5).isGreaterThan(capacity * 0.95);
        assertThat(used).isLessThan((long) (capacity * 0.95));
        assertThat(plain.verdict()).isEqualTo(Verdict.FITS);
        assertThat(banded.verdict()).isEqualTo(Verdict.TIGHT);
        assertThat(banded.band().basis()).isEqualTo("wide");
    }
}
