package dev.llmplan.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.Mode;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.engine.Part;
import dev.llmplan.engine.VllmCapacity;
import dev.llmplan.engine.Workload;
import dev.llmplan.plan.CardLoad;
import dev.llmplan.plan.ContextRung;
import dev.llmplan.plan.FitResult;
import dev.llmplan.plan.Verdict;
import dev.llmplan.engine.ErrorBand;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code fit} result: one estimate, and either its placement on the user's GPUs (with the speed and
 * offload section) or the catalog hardware it fits on.
 */
public record FitReport(Estimate estimate, FitResult onGiven, List<FitResult> candidates, List<ContextRung> ladder,
                        Extras extras, PlanSection plan, boolean explain, ErrorBand band) implements Rendered {

    /**
     * Planning answers that need a GPU: the longest context and the largest batch whose verdict is
     * "fits", and what stops the context there; on cards too small for every layer, the most layers
     * ({@code gpuLayers}) that fit, of {@code layers}.
     */
    public record Extras(Integer maxContext, Integer maxBatch, String contextLimit, Integer maxGpuLayers, Integer layers) {
        public static final Extras NONE = new Extras(null, null, null);

        public Extras(Integer maxContext, Integer maxBatch, String contextLimit) {
            this(maxContext, maxBatch, contextLimit, null, null);
        }
    }

    /** Fitting hardware rows in the table; JSON lists every candidate. */
    static final int CANDIDATE_ROWS = 12;

    public FitReport {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        ladder = ladder == null ? List.of() : List.copyOf(ladder);
        extras = extras == null ? Extras.NONE : extras;
        band = band == null ? (onGiven != null ? onGiven.band() : ErrorBand.NONE) : band;
    }

    private MemoryView memory() {
        return MemoryView.of(estimate, onGiven, band);
    }

    // ---- document (JSON / YAML) ----

    public record Doc(int schemaVersion, Docs.Model model, Docs.Workload workload, MemoryView.Doc memory, Hardware hardware,
                      Object fit, @JsonInclude(JsonInclude.Include.NON_NULL) Vllm vllm,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<Rung> contextLadder, List<Docs.Formula> formulas,
                      List<String> assumptions, List<String> warnings,
                      @JsonInclude(JsonInclude.Include.NON_NULL) PlanSection.Doc plan) {
    }

    public record Hardware(String spec, int gpuCount, int nodes, String strategy, long totalMemoryBytes) {
    }

    public record Candidates(List<Candidate> candidates) {
    }

    public record Candidate(String hardware, int gpuCount, long perGpuUsedBytes, double minHeadroomPercent, String verdict) {
    }

    public record Vllm(long budgetBytes, long kvAvailableBytes, long blocks, int blockSize, long tokens,
                       double maxConcurrency) {
    }

    public record Rung(int context, long perGpuBytes, boolean fits,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String verdict) {
    }

    /** The fit section on given hardware, with the longest context and largest batch that fit. */
    public record OnHardware(String verdict, boolean fits, double minHeadroomPercent, List<Docs.Card> cards,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Integer longestContext,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String longestContextLimit,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Integer largestBatch,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Integer largestGpuLayers,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Long hostRamBytes) {
    }

    @Override
    public Doc document() {
        Estimate e = estimate;
        MemoryView m = memory();
        MemoryView.Doc memory = m.document();
        Hardware hardware = null;
        Object fit;
        Vllm vllm = null;
        if (onGiven != null) {
            hardware = new Hardware(onGiven.hardware().label(), onGiven.hardware().gpuCount(), onGiven.hardware().nodes(),
                    Words.cli(onGiven.strategy()), onGiven.hardware().totalMemory().value());
            fit = new OnHardware(onGiven.verdict().label(), onGiven.verdict().fits(),
                    Docs.round1(onGiven.minHeadroomFraction() * 100), Docs.cards(onGiven), extras.maxContext(),
                    extras.contextLimit() == null ? null : Words.cli(extras.contextLimit()), extras.maxBatch(),
                    extras.maxGpuLayers(),
                    onGiven.offload() != null && onGiven.offload().hostRam() != null ? onGiven.offload().hostRam().value()
                            : null);
            VllmCapacity v = vllmCapacity();
            if (v != null) {
                vllm = new Vllm(v.budget().value(), v.kvAvailable().value(), v.blocks(), v.blockSize(), v.tokens(),
                        Docs.round1(v.maxConcurrency() * 10) / 10);
            }
        } else {
            fit = new Candidates(candidates.stream().map(c -> new Candidate(c.hardware().label(), c.hardware().gpuCount(),
                    c.maxUsedBytes(), Docs.round1(c.minHeadroomFraction() * 100), c.verdict().label())).toList());
        }
        List<Rung> rungs = ladder.isEmpty() ? null
                : ladder.stream().map(r -> new Rung(r.context(), r.perGpu().value(),
                r.verdict() == null || r.verdict() == Verdict.FITS, r.verdict() == null ? null : r.verdict().label())).toList();
        return new Doc(Documents.SCHEMA_VERSION, Docs.model(e), Docs.workload(e), memory, hardware, fit, vllm, rungs,
                Docs.formulas(e), Words.cli(e.assumptions()), Words.cli(warnings()), plan == null ? null : plan.document());
    }

    /** The estimate's warnings and the placement's (precision the cards lack, and the like), in engine words. */
    public List<String> warnings() {
        List<String> all = new java.util.ArrayList<>(estimate.warnings());
        if (onGiven != null) {
            all.addAll(onGiven.warnings());
        }
        return all;
    }

    /** The runtime's KV block pool on the first card (vLLM), when hardware is given. */
    private VllmCapacity vllmCapacity() {
        if (onGiven == null || onGiven.cards().isEmpty()) {
            return null;
        }
        return estimate.runtime().kvBlockPool(estimate, onGiven.cards().get(0).gpu().usableMemory()).orElse(null);
    }

    // ---- rows (CSV / Markdown) ----

    /** One row per component, bytes and the chosen unit. */
    @Override
    public Table rows(Units u) {
        MemoryView m = memory();
        if (onGiven != null && onGiven.hardware().cpuOnly()) {
            // The CPU alone: the components are in host memory.
            Table t = new Table("component", "hostBytes", u.symbol());
            onGiven.hostParts().forEach((c, b) -> t.row(c.key(), b, Units.number(u.of(b))));
            t.row("total", onGiven.hostBytes(), Units.number(u.of(onGiven.hostBytes())));
            return t;
        }
        Table t = new Table("component", "bytes", u.symbol());
        m.components().forEach((c, b) -> t.row(c.key(), b, Units.number(u.of(b))));
        t.row("total", m.total(), Units.number(u.of(m.total())));
        return t;
    }

    // ---- text ----

    @Override
    public Styled text(Units u) {
        Styled sb = new Styled();
        Estimate e = estimate;
        ModelSpec m = e.model();
        Workload w = e.workload();
        sb.append(m.name());
        if (m.origin() != ModelSpec.Origin.BARE_SIZE) {
            sb.append(" (").append(m.id()).append(")");
        }
        sb.append(" · ").append(ParamCount.humanCount(e.parameters())).append(" parameters");
        if (e.activeParameters() != e.parameters()) {
            sb.append(", ").append(ParamCount.humanCount(e.activeParameters())).append(" active");
        }
        sb.append(Docs.modelMarks(m));
        sb.append('\n');
        sb.append(Docs.workloadLine(e, true));
        if (w.gpuCount() > 1) {
            sb.append(" · ").append(w.gpuCount()).append(" GPUs");
        }
        sb.append("\n\n");
        MemoryView mem = memory();
        boolean cpuOnly = onGiven != null && onGiven.hardware().cpuOnly();
        if (cpuOnly) {
            return cpuOnlyText(sb, u, mem);
        }
        Bytes total = mem.totalBytes();
        Bytes scale = onGiven != null ? onGiven.hardware().totalMemory() : total;
        Table t = new Table("component", ">" + u.symbol(), ">share", "");
        for (Map.Entry<Component, Long> c : mem.components().entrySet()) {
            double share = total.isZero() ? 0 : c.getValue() / (double) total.value();
            double ofScale = scale.isZero() ? 0 : c.getValue() / (double) scale.value();
            t.row(c.getKey().label(), Units.number(u.of(c.getValue())), Fmt.format("%.1f%%", share * 100),
                    Styled.of(Bars.bar(ofScale), Styled.Style.BAR));
        }
        t.row("total", Units.number(u.of(total)), "100.0%", onGiven != null
                ? Fmt.format("of %s on %s", u.format(scale), onGiven.hardware().label()) : "");
        sb.append(t.styled());
        Bytes weights = Bytes.of(mem.component(Component.WEIGHTS));
        Units other = u == Units.GIB ? Units.GB : Units.GIB;
        sb.append("weights ").append(u.format(weights)).append(" (").append(other.format(weights)).append("), total ")
                .append(u.format(total)).append(" (").append(other.format(total)).append(")\n");
        if (mem.band().cases() > 0 || mem.band() != ErrorBand.NONE) {
            bandLine(sb, u, total.value(), mem.low(), mem.high(), mem.band());
        }
        Bytes ram = onGiven == null || onGiven.offload() == null ? null : onGiven.offload().hostRam();
        if (mem.host() > 0 || ram != null) {
            sb.append("host memory (not in the total): ").append(u.format(mem.host()));
            if (ram != null) {
                sb.append(" of ").append(u.format(ram)).append(Words.cli(" {ram}"))
                        .append(mem.host() > ram.value() ? ": NOT ENOUGH" : "");
            }
            sb.append('\n');
        }
        if (e.trainableParameters() > 0 && w.mode() == Mode.RLHF) {
            sb.append(Fmt.format("trainable parameters: %s (actor and critic together)%n",
                    ParamCount.humanCount(e.trainableParameters())));
        } else if (e.trainableParameters() > 0) {
            sb.append(Fmt.format("trainable parameters: %s (%.3f%% of %s)%n",
                    ParamCount.humanCount(e.trainableParameters()), 100.0 * e.trainableParameters() / e.parameters(),
                    ParamCount.humanCount(e.parameters())));
        }
        sb.append('\n');
        if (onGiven != null) {
            sb.append(cards(onGiven, u));
            VllmCapacity vllm = vllmCapacity();
            if (vllm != null) {
                sb.append(Fmt.format("vLLM: %s of each GPU (gpu_memory_utilization %.2f); KV cache gets %s = %,d blocks x %d tokens"
                                + " = %,d tokens for all sequences together; maximum concurrency %.2fx at %d tokens%n",
                        u.format(vllm.budget()), vllm.gpuMemoryUtilization(),
                        u.format(vllm.kvAvailable()), vllm.blocks(), vllm.blockSize(),
                        vllm.tokens(), vllm.maxConcurrency(), e.context()));
            }
        } else {
            sb.append(candidates(u));
        }
        if (!ladder.isEmpty()) {
            sb.append('\n').append(ladder(u));
        }
        return limitsAndFooter(sb, u);
    }

    /**
     * The CPU alone: the parts are all in host memory, judged against {@code {ram}}; the rest of the
     * report (limits, explanation, assumptions, speed) as on a GPU.
     */
    private Styled cpuOnlyText(Styled sb, Units u, MemoryView mem) {
        Estimate e = estimate;
        Map<Component, Long> host = onGiven.hostParts();
        long total = onGiven.hostBytes();
        Bytes ram = onGiven.offload() == null ? null : onGiven.offload().hostRam();
        Table t = new Table("component", ">" + u.symbol(), ">share", "");
        for (Map.Entry<Component, Long> c : host.entrySet()) {
            double share = total == 0 ? 0 : c.getValue() / (double) total;
            double ofScale = ram != null ? c.getValue() / (double) ram.value() : share;
            t.row(c.getKey().label(), Units.number(u.of(c.getValue())), Fmt.format("%.1f%%", share * 100),
                    Styled.of(Bars.bar(ofScale), Styled.Style.BAR));
        }
        t.row("total", Units.number(u.of(total)), "100.0%", ram != null
                ? Fmt.format("of %s %s in host memory", u.format(ram), Words.cli("{ram}")) : "in host memory");
        sb.append(t.styled());
        sb.append("GPU memory: none (CPU only); host memory ").append(u.format(total)).append('\n');
        if (mem.band() != ErrorBand.NONE) {
            bandLine(sb, u, total, mem.band().lowOf(total), mem.band().highOf(total), mem.band());
        }
        sb.append('\n');
        sb.append("On cpu (").append(Words.cli(onGiven.strategy())).append("): ")
                .append(onGiven.verdict().label().toUpperCase(Locale.ROOT), Styled.outcome(onGiven.verdict().label()))
                .append(ram == null ? Words.cli(" (no {ram} given to check against)") : "").append('\n');
        return limitsAndFooter(sb, u);
    }

    private String explanation(Units u) {
        StringBuilder sb = new StringBuilder("\nHow each component is computed:\n");
        for (Part p : estimate.parts()) {
            sb.append("  ").append(p.component().label()).append(p.perGpu() ? " (per GPU)" : "").append(": ")
                    .append(Words.cli(p.formula())).append(" = ").append(u.format(p.bytes())).append('\n');
            if (p.source() != null && !p.source().isEmpty()) {
                sb.append("      source: ").append(Words.cli(p.source())).append('\n');
            }
        }
        for (Part p : estimate.hostParts()) {
            sb.append("  host ").append(p.component().label()).append(": ").append(Words.cli(p.formula())).append(" = ")
                    .append(u.format(p.bytes())).append('\n');
        }
        return sb.toString();
    }

    private static Styled cards(FitResult f, Units u) {
        Styled sb = new Styled();
        sb.append("On ").append(f.hardware().label()).append(" (").append(Words.cli(f.strategy())).append("): ")
                .append(f.verdict().label().toUpperCase(Locale.ROOT), Styled.outcome(f.verdict().label())).append('\n');
        Table t = new Table(">#", "gpu", ">capacity", ">used", ">free", ">headroom", "verdict");
        for (CardLoad c : f.cards()) {
            t.row(c.index(), c.gpu().id(), u.format(c.capacity()), u.format(c.used()), u.format(c.freeBytes()),
                    Fmt.format("%.1f%%", c.headroomFraction() * 100), Styled.verdict(c.verdict().label()));
        }
        return sb.append(t.styled());
    }

    /** "estimate 18.26 GiB, likely 17.76–20.01 GiB (45 measured runs of ...)": the error band's line. */
    private static void bandLine(Styled sb, Units u, long total, long low, long high, ErrorBand band) {
        sb.append("estimate ").append(u.format(total)).append(", likely ").append(Units.number(u.of(low)))
                .append("–").append(u.format(high)).append(" (").append(band.basis()).append(")\n");
    }

    /** The longest context, largest batch and layers that fit, the formulas, the assumptions, the units and the plan. */
    private Styled limitsAndFooter(Styled sb, Units u) {
        Estimate e = estimate;
        if (extras.maxContext() != null || extras.maxBatch() != null) {
            sb.append('\n');
            if (extras.maxContext() != null) {
                sb.append("longest context that fits (batch ").append(e.workload().batch()).append("): ")
                        .append(extras.maxContext()).append(" tokens")
                        .append(extras.contextLimit() == null ? "" : " (" + Words.cli(extras.contextLimit()) + ")").append('\n');
            }
            if (extras.maxBatch() != null) {
                sb.append("largest batch that fits (context ").append(e.context()).append("): ")
                        .append(extras.maxBatch()).append('\n');
            }
        }
        if (extras.maxGpuLayers() != null) {
            if (extras.maxContext() == null && extras.maxBatch() == null) {
                sb.append('\n');
            }
            sb.append(Words.cli("largest {gpuLayers} that fits: ")).append(extras.maxGpuLayers()).append(" of ")
                    .append(extras.layers()).append(" layers on the GPU")
                    .append(extras.maxGpuLayers() < extras.layers() ? " (the rest in host memory, run by the CPU)" : "")
                    .append('\n');
        }
        if (explain) {
            sb.append(explanation(u));
        }
        if (!e.assumptions().isEmpty()) {
            sb.append("\nAssumptions:\n");
            for (String a : Words.cli(e.assumptions())) {
                sb.append("  - ").append(a).append('\n');
            }
        }
        sb.append("\n(").append(u.symbol()).append(" = ").append(u == Units.GIB ? "2^30" : "10^9")
                .append(" bytes; --units ").append(u == Units.GIB ? "gb" : "gib").append(" for ")
                .append(u == Units.GIB ? "10^9" : "2^30").append(")\n");
        if (plan != null) {
            sb.append(plan.text());
        }
        return sb;
    }

    private Styled candidates(Units u) {
        Styled sb = new Styled();
        List<FitResult> fitting = candidates.stream().filter(c -> c.verdict().fits()).toList();
        if (fitting.isEmpty()) {
            return sb.append("Fits on no single catalog GPU or system; try a smaller --quant, a shorter --context, "
                    + "or 'llmplan recommend'.\n");
        }
        sb.append("Fits on (catalog GPUs and systems, smallest first; per-GPU use and headroom):\n");
        Table t = new Table("hardware", ">memory", ">used per GPU", ">headroom", "verdict");
        for (FitResult c : fitting.subList(0, Math.min(CANDIDATE_ROWS, fitting.size()))) {
            t.row(c.hardware().label(), u.format(c.hardware().totalMemory()), u.format(c.maxUsedBytes()),
                    Fmt.format("%.1f%%", c.minHeadroomFraction() * 100), Styled.verdict(c.verdict().label()));
        }
        sb.append(t.styled());
        if (fitting.size() > CANDIDATE_ROWS) {
            sb.append("... and ").append(fitting.size() - CANDIDATE_ROWS)
                    .append(" larger ones (all in --format json; 'llmplan recommend' ranks them by cost and speed)\n");
        }
        return sb;
    }

    private Styled ladder(Units u) {
        Styled sb = new Styled().append("Context ladder (per GPU");
        if (onGiven != null) {
            sb.append("; capacity ").append(u.format(onGiven.cards().get(0).capacity()));
        }
        sb.append("):\n");
        Bytes max = ladder.stream().map(ContextRung::perGpu).max(Bytes::compareTo).orElse(Bytes.ZERO);
        Bytes cap = onGiven != null ? onGiven.cards().get(0).capacity() : max;
        Bytes scale = cap.compareTo(max) > 0 ? cap : max;
        Table t = new Table(">context", ">" + u.symbol(), "", "");
        for (ContextRung r : ladder) {
            String bar = Bars.bar(r.perGpu().value() / (double) scale.value());
            t.row(r.context(), Units.number(u.of(r.perGpu())), Styled.of(bar, Styled.Style.BAR),
                    onGiven == null ? "" : Styled.verdict(r.verdict() == Verdict.DOES_NOT_FIT ? "over" : r.verdict().label()));
        }
        return sb.append(t.styled());
    }
}
