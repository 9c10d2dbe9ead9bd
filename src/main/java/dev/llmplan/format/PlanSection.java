package dev.llmplan.format;

import dev.llmplan.engine.Draft;
import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.SpeculativeDecoding;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmplan.plan.FitResult;
import dev.llmplan.plan.OffloadPlan;
import dev.llmplan.plan.PcieLink;
import dev.llmplan.plan.Speed;
import dev.llmplan.plan.SpeedAssumptions;
import dev.llmplan.plan.SpeedModel;

import java.util.List;

/** Speed, offload and placement notes of a {@code fit --gpu} result, as text or as a document section. */
public record PlanSection(FitResult fit, Speed speed, SpeedAssumptions assumptions) {

    public record Doc(String strategy, String blocker, Double decodeTokensPerSecond, Double prefillTokensPerSecond,
                      Double stepSeconds, Double trainingSeconds, double bandwidthEfficiency, double mfu,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Offload offload, List<String> notes,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String speculativeDecoding) {
    }

    public record Offload(int gpuLayers, int hostLayers, long hostBytes, Long hostRamBytes, boolean fitsInRam,
                          Double decodeTokensPerSecondInVram, String link) {
    }

    public Doc document() {
        OffloadPlan o = fit.offload();
        Offload offload = o == null ? null : new Offload(o.gpuLayers(), o.hostLayers(), fit.hostBytes(),
                o.hostRam() == null ? null : o.hostRam().value(), fitsInRam(), speed.decodeInVram(),
                PcieLink.of(fit.cards().get(0).gpu()).label());
        return new Doc(fit.kind().id(), Words.cli(fit.blocker()), speed.decodeTokensPerS(), speed.prefillTokensPerS(),
                speed.stepSeconds(), speed.totalSeconds(), assumptions.bandwidthEfficiency(), speed.utilisation(), offload,
                Words.cli(fit.notes()), Words.cli(speculative()));
    }

    /** What the decode figure makes of a draft model: the speed-up with its formula, or that it is not modelled. */
    private String speculative() {
        Draft d = fit.estimate().workload().serving().draft();
        if (d == null || fit.estimate().workload().mode().isTraining()) {
            return null;
        }
        if (d.acceptance() == null) {
            return "the draft model's speed-up is not modelled (decode is the target alone); give {draftAcceptance} to"
                    + " estimate it";
        }
        double c = SpeedModel.draftCostRatio(fit);
        double tokens = SpeculativeDecoding.expectedTokens(d.acceptance(), Draft.TOKENS);
        return Fmt.format("acceptance %.2f, %d drafted tokens: %.2f tokens per target pass ((1 - a^(k+1)) / (1 - a),"
                        + " Leviathan et al. 2023); a draft step costs %.1f%% of a target step, so decode is x%.2f",
                d.acceptance(), Draft.TOKENS, tokens, c * 100, SpeculativeDecoding.speedup(d.acceptance(), Draft.TOKENS, c));
    }

    private boolean fitsInRam() {
        OffloadPlan o = fit.offload();
        return o == null || o.hostRam() == null || fit.hostBytes() <= o.hostRam().value();
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
            sb.append(Fmt.format(" at %.1f%% MFU%n", speed.utilisation() * 100));
        } else {
            sb.append("decode ").append(RecommendReport.rate(speed.decodeTokensPerS())).append(" tok/s, prefill ")
                    .append(RecommendReport.rate(speed.prefillTokensPerS())).append(" tok/s")
                    .append(Fmt.format(" (%.0f%% of peak bandwidth, %.1f%% of peak FP16)%n",
                            assumptions.bandwidthEfficiency() * 100, speed.utilisation() * 100));
        }
        String spec = speculative();
        if (spec != null) {
            sb.append("Speculative decoding: ").append(Words.cli(spec)).append('\n');
        }
        OffloadPlan o = fit.offload();
        if (o != null) {
            PcieLink link = PcieLink.of(fit.cards().get(0).gpu());
            String ram = o.hostRam() == null ? "no {ram} given" : Fmt.format("of %.2f GiB {ram}%s",
                    o.hostRam().gib(), fitsInRam() ? "" : ": NOT ENOUGH");
            sb.append(Fmt.format("Offload: %d of %d layers in host RAM (%.2f GiB %s); "
                            + "they cross %s at ~%.0f GB/s, so decode drops from ~%s to ~%s tok/s%n",
                    o.hostLayers(), o.totalLayers(), fit.host().gib(), Words.cli(ram), link.label(), link.effectiveGBps(),
                    RecommendReport.rate(speed.decodeInVram()), RecommendReport.rate(speed.decodeTokensPerS())));
        }
        Words.cli(fit.notes()).forEach(n -> sb.append("Note: ").append(n).append('\n'));
        return sb.toString();
    }
}
