package dev.llmplan.format;

import dev.llmplan.planfile.EntryResult;
import dev.llmplan.planfile.PlanEntry;
import dev.llmplan.planfile.RequirementResult;
import dev.llmplan.planfile.PlanEvaluator;
import dev.llmplan.planfile.DecodeSpeed;

import dev.llmplan.engine.Component;
import dev.llmplan.engine.Estimate;
import dev.llmplan.format.Documents;
import dev.llmplan.format.Table;
import dev.llmplan.format.Units;
import dev.llmplan.plan.CardLoad;
import dev.llmplan.plan.FitResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders check results: one table row per entry, or one document (JSON / YAML) with every requirement. */
public final class CheckReport {
    private final List<EntryResult> results;

    public CheckReport(List<EntryResult> results) {
        this.results = List.copyOf(results);
    }

    public List<EntryResult> results() {
        return results;
    }

    public boolean passed() {
        return results.stream().allMatch(EntryResult::passed);
    }

    public long failedCount() {
        return results.stream().filter(r -> !r.passed()).count();
    }

    /** One row per entry; the last column lists failed requirements (or "ok"). */
    public Table table(Units units) {
        Table t = new Table("entry", "model", "hardware", "mode", ">per GPU", ">headroom", "result", "failed requirements");
        for (EntryResult r : results) {
            FitResult fit = r.fit();
            String perGpu = units.format(fit.maxUsedBytes()) + " / " + units.format(minCapacity(fit));
            t.row(r.entry().name(), r.model().id(), fit.hardware().label(), fit.estimate().workload().mode().id(),
                    perGpu, PlanEvaluator.pct(fit.minHeadroomFraction() * 100), r.passed() ? "pass" : "FAIL",
                    r.passed() ? "" : String.join("; ", r.failures().stream().map(RequirementResult::requirement).toList()));
        }
        return t;
    }

    /** CSV for machines: raw bytes and percent, pass as true/false, failed requirements by name. */
    public Table csvTable() {
        Table t = new Table("entry", "model", "hardware", "mode", "perGpuUsedBytes", "capacityBytes", "headroomPercent",
                "passed", "failedRequirements");
        for (EntryResult r : results) {
            FitResult fit = r.fit();
            t.row(r.entry().name(), r.model().id(), fit.hardware().label(), fit.estimate().workload().mode().id(),
                    fit.maxUsedBytes(), minCapacity(fit), String.format(java.util.Locale.ROOT, "%.1f", fit.minHeadroomFraction() * 100),
                    r.passed(), String.join(";", r.failures().stream().map(RequirementResult::requirement).toList()));
        }
        return t;
    }

    /** The table followed by one line per failed requirement, and a summary line. */
    public String text(Units units) {
        StringBuilder sb = new StringBuilder(table(units).text());
        for (EntryResult r : results) {
            for (RequirementResult f : r.failures()) {
                sb.append("FAIL ").append(r.entry().name()).append(": ").append(f.requirement()).append(": ")
                        .append(f.message()).append('\n');
            }
        }
        sb.append(results.size() - failedCount()).append(" of ").append(results.size()).append(" entries pass");
        sb.append(" (").append(units.symbol()).append(" = ").append(units == Units.GB ? "10^9" : "2^30").append(" bytes)\n");
        return sb.toString();
    }

    private static long minCapacity(FitResult fit) {
        return fit.cards().stream().mapToLong(c -> c.capacity().value()).min().orElse(0);
    }

    /** The JSON / YAML document: schemaVersion 1, a summary, and every entry with every requirement. */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", Documents.SCHEMA_VERSION);
        doc.put("passed", passed());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("entries", results.size());
        summary.put("passed", results.size() - failedCount());
        summary.put("failed", failedCount());
        doc.put("summary", summary);
        List<Object> entries = new ArrayList<>();
        for (EntryResult r : results) {
            entries.add(entry(r));
        }
        doc.put("entries", entries);
        return doc;
    }

    private static Map<String, Object> entry(EntryResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        PlanEntry e = r.entry();
        m.put("name", e.name());
        m.put("file", e.file());
        m.put("line", e.line());
        if (e.description() != null) {
            m.put("description", e.description());
        }
        m.put("passed", r.passed());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", r.model().id());
        model.put("name", r.model().name());
        m.put("model", model);
        Estimate est = r.fit().estimate();
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("mode", est.workload().mode().id());
        workload.put("quant", est.workload().format().id());
        workload.put("context", est.context());
        workload.put("batch", est.workload().batch());
        workload.put("runtime", est.runtime().id());
        m.put("workload", workload);
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("totalBytes", est.total().value());
        Map<String, Object> components = new LinkedHashMap<>();
        for (Map.Entry<Component, dev.llmplan.engine.Bytes> c : est.components().entrySet()) {
            components.put(c.getKey().key(), c.getValue().value());
        }
        memory.put("components", components);
        m.put("memory", memory);
        Map<String, Object> hardware = new LinkedHashMap<>();
        hardware.put("label", r.fit().hardware().label());
        hardware.put("gpuCount", r.fit().hardware().gpuCount());
        hardware.put("strategy", Words.cli(r.fit().strategy()));
        List<Object> cards = new ArrayList<>();
        for (CardLoad c : r.fit().cards()) {
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("index", c.index());
            card.put("gpu", c.gpu().id());
            card.put("capacityBytes", c.capacity().value());
            card.put("usedBytes", c.used().value());
            card.put("freeBytes", c.freeBytes());
            card.put("verdict", c.verdict().label());
            cards.add(card);
        }
        hardware.put("cards", cards);
        m.put("hardware", hardware);
        m.put("verdict", r.fit().verdict().label());
        m.put("minHeadroomPercent", round(r.fit().minHeadroomFraction() * 100));
        if (r.speed() != null) {
            Map<String, Object> speed = new LinkedHashMap<>();
            speed.put("decodeTokensPerSecondPerSequence", round(r.speed().perSequence()));
            speed.put("decodeTokensPerSecondTotal", round(r.speed().aggregate()));
            speed.put("bytesReadPerStep", r.speed().bytesPerStep());
            speed.put("bandwidthEfficiency", DecodeSpeed.BANDWIDTH_EFFICIENCY);
            m.put("speed", speed);
        }
        List<Object> reqs = new ArrayList<>();
        for (RequirementResult q : r.requirements()) {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("requirement", q.requirement());
            req.put("required", q.required());
            req.put("actual", q.actual());
            req.put("passed", q.passed());
            req.put("message", q.message());
            reqs.add(req);
        }
        m.put("requirements", reqs);
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
