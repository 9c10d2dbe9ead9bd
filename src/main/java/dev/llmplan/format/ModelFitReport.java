package dev.llmplan.format;

import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.ParamCount;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.plan.ModelFit;
import dev.llmplan.plan.ModelFitFinder;

import java.util.List;
import java.util.Map;

/** {@code models --fits}: the models that fit given hardware, with their best format and longest context. */
public record ModelFitReport(HardwareSpec hardware, ModelFitFinder.Result result) implements Rendered {

    public record Doc(int schemaVersion, Hardware hardware, int count, List<Fit> models, Map<String, Integer> skipped) {
    }

    public record Hardware(String spec, int gpuCount, long totalMemoryBytes) {
    }

    public record Fit(String id, String name, long parameters, String mode, String quant, int context, Integer maxContext,
                      Integer modelMaxContext, String strategy, long perGpuUsedBytes, double minHeadroomPercent,
                      String verdict, MemoryView.Band errorBand, Map<String, Long> components) {
        static Fit of(ModelFit f) {
            MemoryView m = MemoryView.of(f.fit().estimate(), f.fit(), null);
            return new Fit(f.model().id(), f.model().name(), f.model().parameters(),
                    f.fit().estimate().workload().mode().id(), f.format().id(), f.fit().estimate().context(),
                    f.maxContext(), f.model().maxContext(), f.fit().kind().id(), f.fit().maxUsedBytes(),
                    Docs.round1(f.fit().minHeadroomFraction() * 100), f.fit().verdict().label(), m.bandDoc(),
                    m.document().components());
        }
    }

    @Override
    public Doc document() {
        return new Doc(Documents.SCHEMA_VERSION, new Hardware(hardware.label(), hardware.gpuCount(),
                hardware.totalMemory().value()), result.fits().size(), result.fits().stream().map(Fit::of).toList(),
                Words.cliKeys(result.skipped()));
    }

    @Override
    public Table rows(Units u) {
        Table t = new Table("id", ">params", "quant", ">longest context", ">per GPU", ">headroom", "verdict");
        for (ModelFit f : result.fits()) {
            t.row(f.model().id(), ParamCount.humanCount(f.model().parameters()), f.format().id(),
                    f.maxContext() == null ? "-" : f.maxContext(), u.format(f.fit().maxUsedBytes()),
                    Fmt.format("%.1f%%", f.fit().minHeadroomFraction() * 100),
                    Styled.verdict(f.fit().verdict().label()));
        }
        return t;
    }

    @Override
    public Styled text(Units u) {
        Styled sb = new Styled();
        sb.append("Catalog models that fit ").append(hardware.label()).append(" (")
                .append(u.format(hardware.totalMemory())).append(" in all; per GPU at the workload's context):\n");
        sb.append(rows(u).styled());
        sb.append(result.fits().size()).append(" models\n");
        Words.cliKeys(result.skipped()).forEach((why, n) -> sb.append("skipped ").append(n)
                .append(n == 1 ? " model: " : " models: ").append(why).append('\n'));
        return sb;
    }
}
