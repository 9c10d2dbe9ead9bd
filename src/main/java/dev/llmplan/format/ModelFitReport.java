package dev.llmplan.format;

import dev.llmplan.engine.ParamCount;
import dev.llmplan.plan.HardwareSpec;
import dev.llmplan.plan.ModelFit;
import dev.llmplan.plan.ModelFitFinder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code models --fits}: the models that fit given hardware, with their best format and longest context. */
public record ModelFitReport(HardwareSpec hardware, ModelFitFinder.Result result) {

    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", Documents.SCHEMA_VERSION);
        Map<String, Object> hw = new LinkedHashMap<>();
        hw.put("spec", hardware.label());
        hw.put("gpuCount", hardware.gpuCount());
        hw.put("totalMemoryBytes", hardware.totalMemory().value());
        doc.put("hardware", hw);
        doc.put("count", result.fits().size());
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelFit f : result.fits()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.model().id());
            m.put("name", f.model().name());
            m.put("parameters", f.model().parameters());
            m.put("mode", f.fit().estimate().workload().mode().id());
            m.put("quant", f.format().id());
            m.put("context", f.fit().estimate().context());
            m.put("maxContext", f.maxContext());
            m.put("modelMaxContext", f.model().maxContext());
            m.put("strategy", f.fit().kind().id());
            m.put("perGpuUsedBytes", f.fit().maxUsedBytes());
            m.put("minHeadroomPercent", FitReport.round1(f.fit().minHeadroomFraction() * 100));
            m.put("verdict", f.fit().verdict().label());
            models.add(m);
        }
        doc.put("models", models);
        doc.put("skipped", Words.cliKeys(result.skipped()));
        return doc;
    }

    public Table rows(Units u) {
        Table t = new Table("id", ">params", "quant", ">longest context", ">per GPU", ">headroom", "verdict");
        for (ModelFit f : result.fits()) {
            t.row(f.model().id(), ParamCount.humanCount(f.model().parameters()), f.format().id(),
                    f.maxContext() == null ? "-" : f.maxContext(), u.format(f.fit().maxUsedBytes()),
                    String.format(Locale.ROOT, "%.1f%%", f.fit().minHeadroomFraction() * 100), f.fit().verdict().label());
        }
        return t;
    }

    public String table(Units u) {
        StringBuilder sb = new StringBuilder();
        sb.append("Catalog models that fit ").append(hardware.label()).append(" (")
                .append(u.format(hardware.totalMemory())).append(" in all; per GPU at the workload's context):\n");
        sb.append(rows(u).text());
        sb.append(result.fits().size()).append(" models\n");
        Words.cliKeys(result.skipped()).forEach((why, n) -> sb.append("skipped ").append(n).append(n == 1 ? " model: " : " models: ")
                .append(why).append('\n'));
        return sb.toString();
    }
}
