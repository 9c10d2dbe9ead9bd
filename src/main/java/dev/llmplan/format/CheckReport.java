package dev.llmplan.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmplan.planfile.EntryResult;
import dev.llmplan.planfile.PlanEntry;
import dev.llmplan.planfile.RequirementResult;
import dev.llmplan.planfile.PlanEvaluator;
import dev.llmplan.planfile.DecodeSpeed;

import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.Estimate;
import dev.llmplan.plan.FitResult;

import java.util.List;

/** Renders check results: one table row per entry, or one document (JSON / YAML) with every requirement. */
public final class CheckReport implements Rendered {
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
    @Override
    public Table rows(Units units) {
        Table t = new Table("entry", "model", "hardware", "mode", ">per GPU", ">headroom", "result", "failed requirements");
        for (EntryResult r : results) {
            FitResult fit = r.fit();
            // The CPU alone has no card: its column shows the host memory instead.
            String perGpu = fit.cards().isEmpty() ? "host " + units.format(fit.host())
                    : units.format(fit.maxUsedBytes()) + " / " + units.format(minCapacity(fit));
            t.row(r.entry().name(), r.model().id(), fit.hardware().label(), fit.estimate().workload().mode().id(),
                    perGpu, PlanEvaluator.pct(fit.minHeadroomFraction() * 100), Styled.verdict(r.passed() ? "pass" : "FAIL"),
                    r.passed() ? "" : String.join("; ", r.failures().stream().map(RequirementResult::requirement).toList()));
        }
        return t;
    }

    /** CSV for machines: raw bytes and percent, pass as true/false, failed requirements by name. */
    @Override
    public Table csv(Units units) {
        Table t = new Table("entry", "model", "hardware", "mode", "perGpuUsedBytes", "capacityBytes", "headroomPercent",
                "passed", "failedRequirements");
        for (EntryResult r : results) {
            FitResult fit = r.fit();
            t.row(r.entry().name(), r.model().id(), fit.hardware().label(), fit.estimate().workload().mode().id(),
                    fit.maxUsedBytes(), minCapacity(fit), Fmt.format("%.1f", fit.minHeadroomFraction() * 100),
                    r.passed(), String.join(";", r.failures().stream().map(RequirementResult::requirement).toList()));
        }
        return t;
    }

    /** The table followed by one line per failed requirement, and a summary line. */
    @Override
    public Styled text(Units units) {
        Styled sb = new Styled().append(rows(units).styled());
        for (EntryResult r : results) {
            for (RequirementResult f : r.failures()) {
                sb.append("FAIL", Styled.Style.BAD).append(" ").append(r.entry().name()).append(": ").append(f.requirement()).append(": ")
                        .append(f.message()).append('\n');
            }
        }
        sb.append(results.size() - failedCount()).append(" of ").append(results.size()).append(" entries pass");
        sb.append(" (").append(units.symbol()).append(" = ").append(units == Units.GB ? "10^9" : "2^30").append(" bytes)\n");
        return sb;
    }

    private static long minCapacity(FitResult fit) {
        return fit.cards().stream().mapToLong(c -> c.capacity().value()).min().orElse(0);
    }

    public record Doc(int schemaVersion, boolean passed, Summary summary, List<Entry> entries) {
    }

    public record Summary(int entries, long passed, long failed) {
    }

    public record Entry(String name, String file, int line,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String description, boolean passed, EntryModel model,
                        EntryWorkload workload, MemoryView.Doc memory, EntryHardware hardware, String verdict,
                        double minHeadroomPercent, @JsonInclude(JsonInclude.Include.NON_NULL) EntrySpeed speed,
                        List<Requirement> requirements, List<String> warnings) {
    }

    public record EntryModel(String id, String name) {
    }

    public record EntryWorkload(String mode, String quant, int context, int batch, String runtime) {
    }

    public record EntryHardware(String label, int gpuCount, String strategy, List<EntryCard> cards) {
    }

    public record EntryCard(int index, String gpu, long capacityBytes, long usedBytes, long freeBytes, String verdict) {
    }

    public record EntrySpeed(double decodeTokensPerSecondPerSequence, double decodeTokensPerSecondTotal,
                             long bytesReadPerStep, double bandwidthEfficiency) {
    }

    public record Requirement(String requirement, Object required, Object actual, boolean passed, String message) {
    }

    /** The JSON / YAML document: schemaVersion 1, a summary, and every entry with every requirement. */
    @Override
    public Doc document() {
        return new Doc(Documents.SCHEMA_VERSION, passed(),
                new Summary(results.size(), results.size() - failedCount(), failedCount()),
                results.stream().map(CheckReport::entry).toList());
    }

    private static Entry entry(EntryResult r) {
        PlanEntry e = r.entry();
        Estimate est = r.fit().estimate();
        EntryWorkload workload = new EntryWorkload(est.workload().mode().id(), est.workload().format().id(), est.context(),
                est.workload().batch(), est.runtime().label());
        List<EntryCard> cards = r.fit().cards().stream().map(c -> new EntryCard(c.index(), c.gpu().id(),
                c.capacity().value(), c.used().value(), c.freeBytes(), c.verdict().label())).toList();
        EntryHardware hardware = new EntryHardware(r.fit().hardware().label(), r.fit().hardware().gpuCount(),
                Words.cli(r.fit().strategy()), cards);
        EntrySpeed speed = r.speed() == null ? null : new EntrySpeed(Docs.round2(r.speed().perSequence()),
                Docs.round2(r.speed().aggregate()), r.speed().bytesPerStep(), DecodeSpeed.BANDWIDTH_EFFICIENCY);
        List<Requirement> reqs = r.requirements().stream()
                .map(q -> new Requirement(q.requirement(), q.required(), q.actual(), q.passed(), q.message())).toList();
        return new Entry(e.name(), e.file(), e.line(), e.description(), r.passed(),
                new EntryModel(r.model().id(), r.model().name()), workload,
                MemoryView.of(est, r.fit(), null).document(), hardware, r.fit().verdict().label(),
                Docs.round2(r.fit().minHeadroomFraction() * 100), speed, reqs,
                r.warnings().stream().map(dev.llmplan.request.Options::forPlanFile).toList());
    }
}
