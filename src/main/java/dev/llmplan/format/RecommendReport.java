package dev.llmplan.format;

import dev.llmplan.engine.Estimate;
import dev.llmplan.plan.CardLoad;
import dev.llmplan.plan.OffloadPlan;
import dev.llmplan.plan.RecommendResult;
import dev.llmplan.plan.Recommendation;
import dev.llmplan.plan.Speed;
import dev.llmplan.plan.SpeedAssumptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code recommend} result as a table, CSV/Markdown rows, or a JSON/YAML document with exact numbers. */
public record RecommendReport(Estimate sample, RecommendResult result, String sort, boolean rent,
                              SpeedAssumptions speed) {

    private boolean training() {
        return sample.workload().mode().isTraining();
    }

    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", Documents.SCHEMA_VERSION);
        doc.put("model", FitReport.model(sample.model(), sample));
        doc.put("workload", FitReport.workload(sample));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sort", sort);
        s.put("costBasis", rent ? "hourly" : "purchase");
        s.put("considered", result.considered());
        s.put("fitting", result.fitting());
        s.put("shown", result.shown());
        s.put("bandwidthEfficiency", speed.bandwidthEfficiency());
        s.put("prefillMfu", speed.prefillMfu());
        s.put("trainingMfu", speed.trainingMfu());
        s.put("trainTokens", speed.trainTokens());
        doc.put("search", s);
        List<Map<String, Object>> rows = new ArrayList<>();
        int rank = 1;
        for (Recommendation r : result.rows()) {
            rows.add(row(rank++, r));
        }
        doc.put("configurations", rows);
        doc.put("suggestions", Words.cli(result.suggestions()));
        doc.put("notes", Words.cli(result.notes()));
        doc.put("assumptions", Words.cli(sample.assumptions()));
        return doc;
    }

    private static Map<String, Object> row(int rank, Recommendation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", rank);
        m.put("hardware", r.fit().hardware().label());
        m.put("gpuCount", r.fit().hardware().gpuCount());
        m.put("nodes", r.fit().hardware().nodes());
        m.put("strategy", r.fit().kind().id());
        m.put("strategyDescription", Words.cli(r.fit().strategy()));
        m.put("verdict", r.fit().verdict().label());
        m.put("perGpuUsedBytes", r.fit().maxUsedBytes());
        m.put("perGpuCapacityBytes", r.fit().cards().get(0).capacity().value());
        m.put("minHeadroomPercent", FitReport.round1(r.fit().minHeadroomFraction() * 100));
        List<Map<String, Object>> cards = new ArrayList<>();
        for (CardLoad c : r.fit().cards()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("gpu", c.gpu().id());
            cm.put("usedBytes", c.used().value());
            cm.put("capacityBytes", c.capacity().value());
            if (c.layers() != null) {
                cm.put("layers", c.layers());
            }
            cards.add(cm);
        }
        m.put("cards", cards);
        Speed s = r.speed();
        m.put("decodeTokensPerSecond", s.decodeTokensPerS());
        m.put("prefillTokensPerSecond", s.prefillTokensPerS());
        m.put("stepSeconds", s.stepSeconds());
        m.put("tokensPerStep", s.tokensPerStep() == 0 ? null : s.tokensPerStep());
        m.put("trainingSeconds", s.totalSeconds());
        m.put("costUsd", r.costUsd());
        m.put("costBasis", r.costBasis());
        OffloadPlan o = r.fit().offload();
        if (o != null) {
            m.put("offloadedLayers", o.hostLayers());
            m.put("hostBytes", o.hostBytes().value());
        }
        m.put("notes", Words.cli(r.fit().notes()));
        return m;
    }

    /** Rows for table, CSV and Markdown. */
    public Table rows(Units u) {
        Table t = training()
                ? new Table(">#", "hardware", "strategy", ">per GPU", ">headroom", ">step", ">total time", ">cost")
                : new Table(">#", "hardware", "strategy", ">per GPU", ">headroom", ">decode tok/s", ">prefill tok/s", ">cost");
        int rank = 1;
        for (Recommendation r : result.rows()) {
            String used = u.format(r.fit().maxUsedBytes()) + " / " + Units.number(u.of(r.fit().cards().get(0).capacity()));
            String head = String.format(Locale.ROOT, "%.1f%%", r.fit().minHeadroomFraction() * 100);
            String strategy = r.fit().kind().id()
                    + (r.fit().offload() != null ? "+offload " + r.fit().offload().hostLayers() + "L" : "");
            Speed s = r.speed();
            if (training()) {
                t.row(rank++, r.fit().hardware().label(), strategy, used, head, duration(s.stepSeconds()),
                        duration(s.totalSeconds()), cost(r));
            } else {
                t.row(rank++, r.fit().hardware().label(), strategy, used, head, rate(s.decodeTokensPerS()),
                        rate(s.prefillTokensPerS()), cost(r));
            }
        }
        return t;
    }

    /** CSV for machines: raw numbers (bytes, percent, tokens/s, seconds, USD), empty when unknown. */
    public Table csvRows() {
        Table t = new Table("rank", "hardware", "gpus", "strategy", "perGpuUsedBytes", "capacityBytes", "headroomPercent",
                "decodeTokensPerSecond", "prefillTokensPerSecond", "stepSeconds", "totalSeconds", "costUsd", "costBasis");
        int rank = 1;
        for (Recommendation r : result.rows()) {
            Speed s = r.speed();
            t.row(rank++, r.fit().hardware().label(), r.fit().hardware().gpuCount(), r.fit().kind().id(),
                    r.fit().maxUsedBytes(), r.fit().cards().get(0).capacity().value(),
                    raw(r.fit().minHeadroomFraction() * 100), raw(s.decodeTokensPerS()), raw(s.prefillTokensPerS()),
                    raw(s.stepSeconds()), raw(s.totalSeconds()), raw(r.costUsd()), r.costBasis());
        }
        return t;
    }

    private static String raw(Double v) {
        return v == null || !Double.isFinite(v) ? "" : String.format(Locale.ROOT, "%.4g", v);
    }

    public String table(Units u) {
        StringBuilder sb = new StringBuilder();
        sb.append(sample.model().name()).append(" · ").append(sample.workload().mode().id()).append(" · ")
                .append(sample.workload().format().id()).append(" · ").append(sample.runtime().id());
        if (sample.workload().mode() != dev.llmplan.engine.Mode.LOAD) {
            sb.append(" · context ").append(sample.context()).append(" · batch ").append(sample.workload().batch());
        }
        sb.append('\n');
        if (result.rows().isEmpty()) {
            sb.append("Nothing in the catalog fits (").append(result.considered()).append(" configurations tried).\n");
            if (!result.suggestions().isEmpty()) {
                sb.append("What would fit:\n");
                Words.cli(result.suggestions()).forEach(s -> sb.append("  - ").append(s).append('\n'));
            }
            return sb.toString();
        }
        sb.append(String.format(Locale.ROOT, "%d of %d fitting configurations (of %d tried), by %s%s:%n",
                result.shown(), result.fitting(), result.considered(), sort, rent ? " (hourly rent)" : " (purchase price)"));
        sb.append(rows(u).text());
        sb.append('\n');
        if (training()) {
            sb.append(String.format(Locale.ROOT, "Training time: %s FLOPs per token over peak FP16 x %.1f%% MFU%s.%n",
                    training() && !result.rows().isEmpty() ? sci(result.rows().get(0).speed().flopsPerToken()) : "",
                    speed.trainingMfu() * 100,
                    speed.trainTokens() == null ? "; set --train-tokens for the total" : " for " + sci(speed.trainTokens()) + " tokens"));
        } else {
            sb.append(String.format(Locale.ROOT, "Decode: active weights + KV cache read per step at %.0f%% of peak bandwidth; "
                    + "prefill: 2 FLOPs per active parameter at %.1f%% of peak FP16.%n",
                    speed.bandwidthEfficiency() * 100, speed.prefillMfu() * 100));
        }
        Words.cli(result.notes()).forEach(n -> sb.append("Note: ").append(n).append('\n'));
        sb.append("(per GPU: most-loaded card / capacity in ").append(u.symbol()).append("; unknown speed or price: -)\n");
        return sb.toString();
    }

    static String cost(Recommendation r) {
        if (r.costUsd() == null) {
            return "-";
        }
        // Hourly prices are a few dollars: cents matter there, not for purchases.
        boolean hourly = "rent per hour".equals(r.costBasis());
        return hourly ? String.format(Locale.ROOT, "$%,.2f/h", r.costUsd()) : String.format(Locale.ROOT, "$%,.0f", r.costUsd());
    }

    static String rate(Double v) {
        if (v == null) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Seconds as s, min, h or days. */
    public static String duration(Double s) {
        if (s == null) {
            return "-";
        }
        if (s < 120) {
            return String.format(Locale.ROOT, "%.2f s", s);
        }
        if (s < 7200) {
            return String.format(Locale.ROOT, "%.1f min", s / 60);
        }
        if (s < 3 * 86400) {
            return String.format(Locale.ROOT, "%.1f h", s / 3600);
        }
        return String.format(Locale.ROOT, "%,.1f days", s / 86400);
    }

    static String sci(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
