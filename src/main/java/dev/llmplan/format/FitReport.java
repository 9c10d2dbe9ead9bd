package dev.llmplan.format;

import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.engine.Part;
import dev.llmplan.engine.VllmCapacity;
import dev.llmplan.engine.Workload;
import dev.llmplan.plan.CardLoad;
import dev.llmplan.plan.ContextRung;
import dev.llmplan.plan.FitResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code fit} result: one estimate, and either its placement on the user's GPUs or the
 * catalog hardware it fits on. The same data becomes a table or a JSON / YAML document.
 */
public record FitReport(Estimate estimate, FitResult onGiven, List<FitResult> candidates, List<ContextRung> ladder,
                        Extras extras) {

    /** Planning answers that need a GPU: the longest context and the largest batch that fit. */
    public record Extras(Integer maxContext, Integer maxBatch) {
        public static final Extras NONE = new Extras(null, null);
    }

    /** Fitting hardware rows in the table; JSON lists every candidate. */
    static final int CANDIDATE_ROWS = 12;

    public FitReport {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        ladder = ladder == null ? List.of() : List.copyOf(ladder);
        extras = extras == null ? Extras.NONE : extras;
    }

    // ---- document (JSON / YAML) ----

    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", Documents.SCHEMA_VERSION);
        doc.put("model", model(estimate.model(), estimate));
        doc.put("workload", workload(estimate));
        doc.put("memory", memory(estimate));
        if (onGiven != null) {
            doc.put("hardware", hardware(onGiven));
            doc.put("fit", fit(onGiven));
            VllmCapacity vllm = vllmCapacity();
            if (vllm != null) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("budgetBytes", vllm.budget().value());
                v.put("kvAvailableBytes", vllm.kvAvailable().value());
                v.put("blocks", vllm.blocks());
                v.put("blockSize", vllm.blockSize());
                v.put("tokens", vllm.tokens());
                v.put("maxConcurrency", round1(vllm.maxConcurrency() * 10) / 10);
                doc.put("vllm", v);
            }
        } else {
            doc.put("hardware", null);
            Map<String, Object> fit = new LinkedHashMap<>();
            fit.put("candidates", candidates.stream().map(FitReport::candidate).toList());
            doc.put("fit", fit);
        }
        if (!ladder.isEmpty()) {
            doc.put("contextLadder", ladder.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("context", r.context());
                m.put("perGpuBytes", r.perGpu().value());
                m.put("fits", r.fits());
                return m;
            }).toList());
        }
        doc.put("formulas", estimate.parts().stream().map(FitReport::formula).toList());
        doc.put("assumptions", Words.cli(estimate.assumptions()));
        doc.put("warnings", Words.cli(estimate.warnings()));
        return doc;
    }

    static Map<String, Object> model(ModelSpec m, Estimate e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("name", m.name());
        out.put("origin", m.origin().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        out.put("type", m.type() == null ? null : m.type().id());
        out.put("parameters", e.parameters());
        out.put("activeParameters", e.activeParameters());
        if (e.trainableParameters() > 0) {
            out.put("trainableParameters", e.trainableParameters());
        }
        out.put("maxContext", m.maxContext());
        out.put("source", m.source());
        return out;
    }

    static Map<String, Object> workload(Estimate e) {
        Workload w = e.workload();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", w.mode().id());
        out.put("quant", w.format().id());
        out.put("runtime", e.runtime().id());
        out.put("context", e.context());
        out.put("contextDefaulted", e.contextDefaulted());
        out.put("batch", w.batch());
        out.put("gpus", w.gpuCount());
        return out;
    }

    static Map<String, Object> memory(Estimate e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalBytes", e.total().value());
        Map<String, Object> components = new LinkedHashMap<>();
        e.components().forEach((c, b) -> components.put(c.key(), b.value()));
        out.put("components", components);
        out.put("perGpuBytes", e.perGpuEven().value());
        out.put("hostBytes", e.hostTotal().value());
        return out;
    }

    static Map<String, Object> formula(Part p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("component", p.component().key());
        out.put("bytes", p.bytes().value());
        out.put("perGpu", p.perGpu());
        out.put("formula", Words.cli(p.formula()));
        out.put("source", p.source());
        return out;
    }

    static Map<String, Object> hardware(FitResult f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spec", f.hardware().label());
        out.put("gpuCount", f.hardware().gpuCount());
        out.put("nodes", f.hardware().nodes());
        out.put("strategy", Words.cli(f.strategy()));
        out.put("totalMemoryBytes", f.hardware().totalMemory().value());
        return out;
    }

    static Map<String, Object> fit(FitResult f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("verdict", f.verdict().label());
        out.put("fits", f.verdict().fits());
        out.put("minHeadroomPercent", round1(f.minHeadroomFraction() * 100));
        List<Map<String, Object>> cards = new ArrayList<>();
        for (CardLoad c : f.cards()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", c.index());
            m.put("gpu", c.gpu().id());
            m.put("capacityBytes", c.capacity().value());
            m.put("usedBytes", c.used().value());
            m.put("freeBytes", c.freeBytes());
            m.put("headroomPercent", round1(c.headroomFraction() * 100));
            m.put("verdict", c.verdict().label());
            cards.add(m);
        }
        out.put("cards", cards);
        return out;
    }

    static Map<String, Object> candidate(FitResult f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hardware", f.hardware().label());
        out.put("gpuCount", f.hardware().gpuCount());
        out.put("perGpuUsedBytes", f.maxUsedBytes());
        out.put("minHeadroomPercent", round1(f.minHeadroomFraction() * 100));
        out.put("verdict", f.verdict().label());
        return out;
    }

    /** The runtime's KV block pool on the first card (vLLM), when hardware is given. */
    private VllmCapacity vllmCapacity() {
        if (onGiven == null) {
            return null;
        }
        return estimate.runtime().kvBlockPool(estimate, onGiven.cards().get(0).gpu().usableMemory()).orElse(null);
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    // ---- table ----

    /** The CSV / Markdown shape: one row per component, bytes and the chosen unit. */
    public Table componentTable(Units u) {
        Table t = new Table("component", "bytes", u.symbol());
        estimate.components().forEach((c, b) -> t.row(c.key(), b.value(), Units.number(u.of(b))));
        t.row("total", estimate.total().value(), Units.number(u.of(estimate.total())));
        return t;
    }

    public String table(Units u, boolean explain) {
        StringBuilder sb = new StringBuilder();
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
        sb.append('\n');
        sb.append(w.mode().id()).append(" · ").append(w.format().id()).append(" · ").append(e.runtime().id());
        if (w.mode() != dev.llmplan.engine.Mode.LOAD) {
            sb.append(" · context ").append(e.context()).append(e.contextDefaulted() ? " (default)" : "")
                    .append(" · batch ").append(w.batch());
        }
        if (w.gpuCount() > 1) {
            sb.append(" · ").append(w.gpuCount()).append(" GPUs");
        }
        sb.append("\n\n");
        Bytes total = e.total();
        Bytes scale = onGiven != null ? onGiven.hardware().totalMemory() : total;
        Table t = new Table("component", ">" + u.symbol(), ">share", "");
        for (Map.Entry<Component, Bytes> c : e.components().entrySet()) {
            double share = total.isZero() ? 0 : c.getValue().value() / (double) total.value();
            double ofScale = scale.isZero() ? 0 : c.getValue().value() / (double) scale.value();
            t.row(c.getKey().label(), Units.number(u.of(c.getValue())), String.format(Locale.ROOT, "%.1f%%", share * 100),
                    Bars.bar(ofScale));
        }
        t.row("total", Units.number(u.of(total)), "100.0%", onGiven != null
                ? String.format(Locale.ROOT, "of %s on %s", u.format(scale), onGiven.hardware().label()) : "");
        sb.append(t.text());
        Bytes weights = e.component(Component.WEIGHTS);
        Units other = u == Units.GIB ? Units.GB : Units.GIB;
        sb.append("weights ").append(u.format(weights)).append(" (").append(other.format(weights)).append("), total ")
                .append(u.format(total)).append(" (").append(other.format(total)).append(")\n");
        if (!e.hostTotal().isZero()) {
            sb.append("host memory (not in the total): ").append(u.format(e.hostTotal())).append('\n');
        }
        if (e.trainableParameters() > 0 && w.mode() == dev.llmplan.engine.Mode.RLHF) {
            sb.append(String.format(Locale.ROOT, "trainable parameters: %s (actor and critic together)%n",
                    ParamCount.humanCount(e.trainableParameters())));
        } else if (e.trainableParameters() > 0) {
            sb.append(String.format(Locale.ROOT, "trainable parameters: %s (%.3f%% of %s)%n",
                    ParamCount.humanCount(e.trainableParameters()), 100.0 * e.trainableParameters() / e.parameters(),
                    ParamCount.humanCount(e.parameters())));
        }
        sb.append('\n');
        if (onGiven != null) {
            sb.append(cards(onGiven, u));
            VllmCapacity vllm = vllmCapacity();
            if (vllm != null) {
                sb.append(String.format(Locale.ROOT,
                        "vLLM: %s of each GPU (gpu_memory_utilization %.2f); KV cache gets %s = %,d blocks x %d tokens"
                                + " = %,d tokens; maximum concurrency %.2fx at %d tokens%n",
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
        if (extras.maxContext() != null || extras.maxBatch() != null) {
            sb.append('\n');
            if (extras.maxContext() != null) {
                sb.append("longest context that fits (batch ").append(w.batch()).append("): ")
                        .append(extras.maxContext()).append(" tokens\n");
            }
            if (extras.maxBatch() != null) {
                sb.append("largest batch that fits (context ").append(e.context()).append("): ")
                        .append(extras.maxBatch()).append('\n');
            }
        }
        if (explain) {
            sb.append("\nHow each component is computed:\n");
            for (Part p : e.parts()) {
                sb.append("  ").append(p.component().label()).append(p.perGpu() ? " (per GPU)" : "").append(": ")
                        .append(Words.cli(p.formula())).append(" = ").append(u.format(p.bytes())).append('\n');
                if (p.source() != null && !p.source().isEmpty()) {
                    sb.append("      source: ").append(p.source()).append('\n');
                }
            }
            for (Part p : e.hostParts()) {
                sb.append("  host ").append(p.component().label()).append(": ").append(Words.cli(p.formula())).append(" = ")
                        .append(u.format(p.bytes())).append('\n');
            }
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
        return sb.toString();
    }

    private static String cards(FitResult f, Units u) {
        StringBuilder sb = new StringBuilder();
        sb.append("On ").append(f.hardware().label()).append(" (").append(Words.cli(f.strategy())).append("): ")
                .append(f.verdict().label().toUpperCase(Locale.ROOT)).append('\n');
        Table t = new Table(">#", "gpu", ">capacity", ">used", ">free", ">headroom", "verdict");
        for (CardLoad c : f.cards()) {
            t.row(c.index(), c.gpu().id(), u.format(c.capacity()), u.format(c.used()), u.format(c.freeBytes()),
                    String.format(Locale.ROOT, "%.1f%%", c.headroomFraction() * 100), c.verdict().label());
        }
        return sb.append(t.text()).toString();
    }

    private String candidates(Units u) {
        StringBuilder sb = new StringBuilder();
        List<FitResult> fitting = candidates.stream().filter(c -> c.verdict().fits()).toList();
        if (fitting.isEmpty()) {
            return sb.append("Fits on no single catalog GPU or system; try a smaller --quant, a shorter --context, "
                    + "or 'llmplan recommend'.\n").toString();
        }
        sb.append("Fits on (catalog GPUs and systems, smallest first; per-GPU use and headroom):\n");
        Table t = new Table("hardware", ">memory", ">used per GPU", ">headroom", "verdict");
        for (FitResult c : fitting.subList(0, Math.min(CANDIDATE_ROWS, fitting.size()))) {
            t.row(c.hardware().label(), u.format(c.hardware().totalMemory()), u.format(c.maxUsedBytes()),
                    String.format(Locale.ROOT, "%.1f%%", c.minHeadroomFraction() * 100), c.verdict().label());
        }
        sb.append(t.text());
        if (fitting.size() > CANDIDATE_ROWS) {
            sb.append("... and ").append(fitting.size() - CANDIDATE_ROWS)
                    .append(" larger ones (all in --format json; 'llmplan recommend' ranks them by cost and speed)\n");
        }
        return sb.toString();
    }

    private String ladder(Units u) {
        StringBuilder sb = new StringBuilder("Context ladder (per GPU");
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
            t.row(r.context(), Units.number(u.of(r.perGpu())), bar, onGiven == null ? "" : r.fits() ? "fits" : "over");
        }
        return sb.append(t.text()).toString();
    }
}
