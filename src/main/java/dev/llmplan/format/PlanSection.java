package dev.llmplan.format;

import dev.llmplan.plan.FitResult;
import dev.llmplan.plan.OffloadPlan;
import dev.llmplan.plan.PcieLink;
import dev.llmplan.plan.Speed;
import dev.llmplan.plan.SpeedAssumptions;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Speed, offload and placement notes of a {@code fit --gpu} result, as text or as a document section. */
public record PlanSection(FitResult fit, Speed speed, SpeedAssumptions assumptions) {

    public Map<String, Object> document() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strategy", fit.kind().id());
        m.put("blocker", Words.cli(fit.blocker()));
        m.put("decodeTokensPerSecond", speed.decodeTokensPerS());
        m.put("prefillTokensPerSecond", speed.prefillTokensPerS());
        m.put("stepSeconds", speed.stepSeconds());
        m.put("trainingSeconds", speed.totalSeconds());
        m.put("bandwidthEfficiency", assumptions.bandwidthEfficiency());
        m.put("mfu", speed.utilisation());
        OffloadPlan o = fit.offload();
        if (o != null) {
            Map<String, Object> off = new LinkedHashMap<>();
            off.put("gpuLayers", o.gpuLayers());
            off.put("hostLayers", o.hostLayers());
            off.put("hostBytes", o.hostBytes().value());
            off.put("hostRamBytes", o.hostRam().value());
            off.put("fitsInRam", o.fitsInRam());
            off.put("decodeTokensPerSecondInVram", speed.decodeInVram());
            off.put("link", PcieLink.of(fit.cards().get(0).gpu()).label());
            m.put("offload", off);
        }
        m.put("notes", Words.cli(fit.notes()));
        return m;
    }

    public String text() {
        StringBuilder sb = new StringBuilder("\nSpeed (estimate): ");
        if (!fit.verdict().fits() && fit.offload() == null) {
            return sb.append("none: the workload does not fit on this hardware\n").toString();
        }
        if (fit.estimate().workload().mode().isTraining()) {
            sb.append("step ").append(RecommendReport.duration(speed.stepSeconds())).append(" for ")
                    .append(speed.tokensPerStep()).append(" tokens");
            if (speed.totalSeconds() != null) {
                sb.append(", total ").append(RecommendReport.duration(speed.totalSeconds()));
            }
            sb.append(String.format(Locale.ROOT, " at %.1f%% MFU%n", speed.utilisation() * 100));
        } else {
            sb.append("decode ").append(RecommendReport.rate(speed.decodeTokensPerS())).append(" tok/s, prefill ")
                    .append(RecommendReport.rate(speed.prefillTokensPerS())).append(" tok/s")
                    .append(String.format(Locale.ROOT, " (%.0f%% of peak bandwidth, %.1f%% of peak FP16)%n",
                            assumptions.bandwidthEfficiency() * 100, speed.utilisation() * 100));
        }
        OffloadPlan o = fit.offload();
        if (o != null) {
            PcieLink link = PcieLink.of(fit.cards().get(0).gpu());
            sb.append(String.format(Locale.ROOT, "Offload: %d of %d layers in host RAM (%.2f GiB of %.2f GiB --ram%s); "
                            + "they cross %s at ~%.0f GB/s, so decode drops from ~%s to ~%s tok/s%n",
                    o.hostLayers(), o.totalLayers(), o.hostBytes().gib(), o.hostRam().gib(),
                    o.fitsInRam() ? "" : ": NOT ENOUGH", link.label(), link.effectiveGBps(),
                    RecommendReport.rate(speed.decodeInVram()), RecommendReport.rate(speed.decodeTokensPerS())));
        }
        Words.cli(fit.notes()).forEach(n -> sb.append("Note: ").append(n).append('\n'));
        return sb.toString();
    }
}
