package dev.llmplan.planfile;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.Workload;
import dev.llmplan.plan.CardLoad;
import dev.llmplan.plan.FitPlanner;
import dev.llmplan.plan.FitResult;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.plan.PlanOptions;
import dev.llmplan.plan.SpeedAssumptions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Checks one resolved plan entry: it must fit at its own context on its hardware ("fits"), then every
 * requirement it states. Each failure says by how much, in the requirement's own unit.
 */
public final class PlanEvaluator {
    public static final String FITS = "fits";

    private PlanEvaluator() {
    }

    public static EntryResult evaluate(PlanEntry entry, ModelSpec model, Workload workload, HardwareSpec hw) {
        return evaluate(entry, model, workload, hw, PlanOptions.AUTO, SpeedAssumptions.DEFAULTS);
    }

    public static EntryResult evaluate(PlanEntry entry, ModelSpec model, Workload workload, HardwareSpec hw,
                                       PlanOptions plan, SpeedAssumptions assumptions) {
        FitResult fit = FitPlanner.onHardware(model, workload, hw, plan);
        Requirements req = entry.requirements();
        List<RequirementResult> out = new ArrayList<>();
        out.add(fits(fit));
        if (req.minHeadroomPercent() != null) {
            out.add(headroom(fit, req.minHeadroomPercent()));
        }
        if (req.maxGpus() != null) {
            int n = hw.gpuCount();
            boolean ok = n <= req.maxGpus();
            out.add(new RequirementResult("maxGpus", req.maxGpus(), n, ok,
                    ok ? n + " GPU" + (n == 1 ? "" : "s") : "uses " + n + " GPUs, " + (n - req.maxGpus()) + " more than the maximum of " + req.maxGpus()));
        }
        if (req.minContext() != null) {
            out.add(minContext(model, workload, hw, plan, req.minContext()));
        }
        if (req.maxCostUsd() != null) {
            out.add(cost(hw, req.maxCostUsd()));
        }
        DecodeSpeed.Result speed = null;
        if (workload.mode() == Mode.INFERENCE || workload.mode() == Mode.LOAD) {
            speed = DecodeSpeed.estimate(fit, assumptions);
        }
        if (req.minDecodeTokensPerSecond() != null) {
            out.add(decode(speed, req.minDecodeTokensPerSecond()));
        }
        return new EntryResult(entry, model, fit, speed, out);
    }

    private static RequirementResult fits(FitResult fit) {
        Bytes ram = fit.offload() == null ? null : fit.offload().hostRam();
        if (fit.cards().isEmpty()) {
            // The CPU alone: the host memory it needs against ram.
            String need = gib(fit.host()) + " in host memory" + (ram == null ? " (no ram given)" : " of " + gib(ram));
            return new RequirementResult(FITS, ram == null ? 0 : ram.value(), fit.hostBytes(), fit.verdict().fits(),
                    fit.verdict().fits() ? need + " (CPU only)" : "does not fit: needs " + need);
        }
        CardLoad worst = fit.cards().stream().min(Comparator.comparingLong(CardLoad::freeBytes)).orElseThrow();
        String actual = gib(worst.used()) + " of " + gib(worst.capacity()) + " on card " + worst.index();
        if (fit.verdict().fits()) {
            return new RequirementResult(FITS, worst.capacity().value(), worst.used().value(), true, actual + " (" + fit.verdict().label() + ")");
        }
        if (worst.verdict().fits()) {
            // Every card holds its share: the host memory is what is over (Placement's note says by how much).
            String why = fit.notes().stream().filter(n -> n.startsWith("host memory needed")).findFirst()
                    .orElse("host memory needed, " + gib(fit.host()) + ", is more than {ram}");
            return new RequirementResult(FITS, worst.capacity().value(), fit.hostBytes(), false,
                    "does not fit: " + why.replace("{ram}", "ram"));
        }
        return new RequirementResult(FITS, worst.capacity().value(), worst.used().value(), false, "does not fit: card " + worst.index() + " ("
                + worst.gpu().id() + ") needs " + gib(worst.used()) + " of " + gib(worst.capacity()) + ", "
                + gib(Bytes.of(-worst.freeBytes())) + " over");
    }

    private static RequirementResult headroom(FitResult fit, double minPercent) {
        if (fit.cards().isEmpty()) {
            return new RequirementResult("minHeadroomPercent", minPercent, null, false,
                    "no GPU (CPU only): there is no card headroom to check");
        }
        CardLoad worst = fit.cards().stream().min(Comparator.comparingDouble(CardLoad::headroomFraction)).orElseThrow();
        double actual = worst.headroomFraction() * 100;
        boolean ok = actual >= minPercent;
        String actualText = pct(actual);
        if (ok) {
            return new RequirementResult("minHeadroomPercent", minPercent, round2(actual), true, "headroom " + actualText);
        }
        long neededFree = (long) Math.ceil(worst.capacity().value() * minPercent / 100.0);
        long shortBytes = neededFree - worst.freeBytes();
        return new RequirementResult("minHeadroomPercent", minPercent, round2(actual), false,
                "headroom " + actualText + " on card " + worst.index() + " is " + points(minPercent - actual)
                        + " below " + pct(minPercent) + " (free " + gib(Bytes.of(shortBytes)) + " more)");
    }

    private static RequirementResult minContext(ModelSpec model, Workload w, HardwareSpec hw, PlanOptions plan,
                                                int minContext) {
        Integer modelMax = model.maxContext();
        if (modelMax != null && minContext > modelMax) {
            return new RequirementResult("minContext", minContext, modelMax, false,
                    "the model's maximum context is " + modelMax + " tokens, " + (minContext - modelMax) + " short of " + minContext);
        }
        FitResult at = FitPlanner.onHardware(model, w.withContext(minContext), hw, plan);
        if (at.verdict().fits()) {
            return new RequirementResult("minContext", minContext, minContext, true,
                    "fits at " + minContext + " tokens");
        }
        Integer longest = FitPlanner.maxContext(model, w, hw, plan);
        return new RequirementResult("minContext", minContext, longest, false, longest == null
                ? "does not fit at any context (needs " + gib(Bytes.of(at.maxUsedBytes())) + " per card at " + minContext + ")"
                : "fits up to " + longest + " tokens, " + (minContext - longest) + " short of " + minContext);
    }

    private static RequirementResult cost(HardwareSpec hw, double maxUsd) {
        Double price = hw.purchaseUsd();
        if (price == null) {
            return new RequirementResult("maxCostUsd", maxUsd, null, false,
                    "no purchase price in the catalog for " + hw.label() + ", so the cost cannot be checked");
        }
        boolean ok = price <= maxUsd;
        return new RequirementResult("maxCostUsd", maxUsd, price, ok,
                ok ? "purchase " + usd(price) : "purchase " + usd(price) + " is " + usd(price - maxUsd) + " over " + usd(maxUsd));
    }

    private static RequirementResult decode(DecodeSpeed.Result speed, double min) {
        if (speed == null) {
            return new RequirementResult("minDecodeTokensPerSecond", min, null, false,
                    "decode speed applies to inference entries only");
        }
        double v = speed.perSequence();
        boolean ok = v >= min;
        return new RequirementResult("minDecodeTokensPerSecond", min, round2(v), ok,
                ok ? num(v) + " tokens/s per sequence"
                        : num(v) + " tokens/s per sequence is " + num(min - v) + " below " + num(min));
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String gib(Bytes b) {
        return String.format(Locale.ROOT, "%.2f GiB", b.gib());
    }

    public static String pct(double p) {
        return String.format(Locale.ROOT, "%.1f%%", p);
    }

    static String points(double p) {
        return String.format(Locale.ROOT, "%.1f points", p);
    }

    static String usd(double v) {
        return String.format(Locale.ROOT, "$%,.0f", v);
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
