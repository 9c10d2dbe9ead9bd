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

    /**
     * {@code decodeTokensPerSecond} is the total over all sequences decoded together ({@code decodeSequences}:
     * the batch on each replica); {@code decodeTokensPerSecondPerSequence} what one of them sees.
     */
    public record Doc(String strategy, String blocker, Double decodeTokensPerSecond,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Double decodeTokensPerSecondPerSequence,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Integer decodeSequences, Double prefillTokensPerSecond,
                      Double stepSeconds, Double trainingSeconds, double bandwidthEfficiency, double mfu,
                      double ramBandwidthGBps,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Offload offload,
                      @JsonInclude(JsonInclude.Include.NON_NULL) HostExperts hostExperts, List<String> notes,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String speculativeDecoding) {
    }

    /** {@code runsOn}: "cpu" when the CPU computes the host layers (llama.cpp), "gpu" when they are streamed over {@code link}. */
    public record Offload(int gpuLayers, int hostLayers, long hostBytes, Long hostRamBytes, boolean fitsInRam,
                          Double decodeTokensPerSecondInVram, @JsonInclude(JsonInclude.Include.NON_NULL) String link,
                          String runsOn) {
    }

    /** Routed experts in host memory (llama.cpp --cpu-moe / --n-cpu-moe). */
    public record HostExperts(int blocks, long bytes, long readPerTokenBytes) {
    }

    public Doc document() {
        OffloadPlan o = fit.offload();
        boolean cpu = fit.hardware().cpuOnly() || fit.estimate().runtime().runsHostLayersOnCpu();
        Offload offload = o == null ? null : new Offload(o.gpuLayers(), o.hostLayers(), fit.hostBytes(),
                o.hostRam() == null ? null : o.hostRam().value(), fitsInRam(), speed.decodeInVram(),
                fit.cards().isEmpty() ? null : PcieLink.of(fit.cards().get(0).gpu()).label(), cpu ? "cpu" : "gpu");
        var he = fit.estimate().hostExperts();
        HostExperts experts = he.layers() == 0 ? null
                : new HostExperts(he.layers(), he.bytes().value(), he.readPerToken().value());
        boolean training = fit.estimate().workload().mode().isTraining();
        return new Doc(fit.kind().id(), Words.cli(fit.blocker()), speed.decodeTokensPerS(),
                training ? null : speed.decodePerSequence(fit.sequences()), training ? null : fit.sequences(),
                speed.prefillTokensPerS(),
                speed.stepSeconds(), speed.totalSeconds(), assumptions.bandwidthEfficiency(), speed.utilisation(),
                assumptions.ramBandwidthGBps(), offload, experts, Words.cli(fit.notes()), Words.cli(speculative()));
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

    /** The CPU alone: decode from host memory; prefill is compute-bound on a CPU whose FLOP rate is not known. */
    private String cpuOnlyText(StringBuilder sb) {
        if (!fit.verdict().fits()) {
            sb.append("none: the workload does not fit in host memory\n");
        } else if (fit.estimate().workload().mode().isTraining()) {
            sb.append("not estimated: training on the CPU is compute-bound and the catalog holds no CPU FLOP rate\n");
        } else {
            sb.append(Fmt.format("decode %s tok/s on the CPU, reading the active weights and the KV cache from host memory"
                            + " at ~%.0f GB/s (%.1f GB/s %s x %.0f%%); prefill not estimated (compute-bound on the CPU)%n",
                    RecommendReport.rate(speed.decodeTokensPerS()), assumptions.ramBytesPerSecond() / 1e9,
                    assumptions.ramBandwidthGBps(), Words.cli("{ramBandwidth}"), assumptions.bandwidthEfficiency() * 100));
        }
        Words.cli(fit.notes()).forEach(n -> sb.append("Note: ").append(n).append('\n'));
        return sb.toString();
    }

    public String text() {
        StringBuilder sb = new StringBuilder("\nSpeed (estimate): ");
        if (fit.hardware().cpuOnly()) {
            return cpuOnlyText(sb);
        }
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
            int n = fit.sequences();
            sb.append("decode ").append(RecommendReport.rate(speed.decodeTokensPerS())).append(" tok/s")
                    .append(n == 1 ? " (one sequence)" : " in total (" + n + " sequences, "
                            + RecommendReport.rate(speed.decodePerSequence(n)) + " tok/s each)")
                    .append(", prefill ")
                    .append(RecommendReport.rate(speed.prefillTokensPerS())).append(" tok/s")
                    .append(Fmt.format(" (%.0f%% of peak bandwidth, %.1f%% of peak FP16)%n",
                            assumptions.bandwidthEfficiency() * 100, speed.utilisation() * 100));
        }
        String spec = speculative();
        if (spec != null) {
            sb.append("Speculative decoding: ").append(Words.cli(spec)).append('\n');
        }
        OffloadPlan o = fit.offload();
        double ramGBps = assumptions.ramBytesPerSecond() / 1e9;
        var he = fit.estimate().hostExperts();
        if (he.layers() > 0 && fit.verdict().fits()) {
            sb.append(Fmt.format("Experts: the routed experts of %d blocks (%.2f GiB) stay in host memory; the CPU reads the"
                            + " %.2f GiB a token is routed to at ~%.0f GB/s (%.1f GB/s %s x %.0f%%), so decode is ~%s tok/s"
                            + " against ~%s with every expert on the GPU%n",
                    he.layers(), he.bytes().gib(), he.readPerToken().gib(), ramGBps, assumptions.ramBandwidthGBps(),
                    Words.cli("{ramBandwidth}"), assumptions.bandwidthEfficiency() * 100,
                    RecommendReport.rate(speed.decodeTokensPerS()), RecommendReport.rate(speed.decodeInVram())));
        }
        if (o != null && fit.estimate().runtime().runsHostLayersOnCpu()) {
            String ram = o.hostRam() == null ? "no {ram} given" : Fmt.format("of %.2f GiB {ram}%s",
                    o.hostRam().gib(), fitsInRam() ? "" : ": NOT ENOUGH");
            sb.append(Fmt.format("Offload: %d of %d layers in host RAM (%.2f GiB host memory in all, %s); "
                            + "the CPU runs them at ~%.0f GB/s of host memory, so decode drops from ~%s to ~%s tok/s%n",
                    o.hostLayers(), o.totalLayers(), fit.host().gib(), Words.cli(ram), ramGBps,
                    RecommendReport.rate(speed.decodeInVram()), RecommendReport.rate(speed.decodeTokensPerS())));
        } else if (o != null) {
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
