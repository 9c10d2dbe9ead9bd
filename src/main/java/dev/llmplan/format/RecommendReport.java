package dev.llmplan.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.Currency;
import dev.llmplan.engine.Estimate;
import dev.llmplan.plan.CostBasis;
import dev.llmplan.plan.FitResult;
import dev.llmplan.plan.OffloadPlan;
import dev.llmplan.plan.RecommendResult;
import dev.llmplan.plan.Recommendation;
import dev.llmplan.plan.Speed;
import dev.llmplan.plan.SpeedAssumptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code recommend} result as a table, CSV/Markdown rows, or a JSON/YAML document with exact numbers. */
public record RecommendReport(Estimate sample, RecommendResult result, String sort, boolean rent,
                              SpeedAssumptions speed, Currency currency) implements Rendered {

    public RecommendReport {
        currency = currency == null ? Currency.USD : currency;
    }

    /** In USD. */
    public RecommendReport(Estimate sample, RecommendResult result, String sort, boolean rent, SpeedAssumptions speed) {
        this(sample, result, sort, rent, speed, Currency.USD);
    }

    private CostBasis basis() {
        return CostBasis.of(rent, training(), speed.trainTokens());
    }

    private boolean training() {
        return sample.workload().mode().isTraining();
    }

    /** {@code components}: the memory of the workload on one GPU, by component (the placements split it). */
    public record Doc(int schemaVersion, Docs.Model model, Docs.Workload workload, Map<String, Long> components,
                      Search search, List<Configuration> configurations, List<String> suggestions, List<String> notes,
                      List<String> assumptions) {
    }

    public record Search(String sort, String costBasis, int considered, int fitting, int shown,
                         double bandwidthEfficiency, double prefillMfu, double trainingMfu, Long trainTokens) {
    }

    public record Configuration(int rank, String hardware, int gpuCount, int nodes, String strategy,
                                String strategyDescription, String verdict, long perGpuUsedBytes, long perGpuCapacityBytes,
                                double minHeadroomPercent, MemoryView.Band errorBand, List<CardUse> cards,
                                Double decodeTokensPerSecond,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Double decodeTokensPerSecondPerSequence,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Integer decodeSequences,
                                Double prefillTokensPerSecond, Double stepSeconds, Long tokensPerStep,
                                Double trainingSeconds, Double costUsd, Double cost, String currency,
                                Boolean costConverted, String costBasis,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String costUnknown,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Integer offloadedLayers,
                                @JsonInclude(JsonInclude.Include.NON_NULL) Long hostBytes, List<String> notes) {
    }

    public record CardUse(String gpu, long usedBytes, long capacityBytes,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer layers) {
    }

    @Override
    public Doc document() {
        Search search = new Search(sort, basis().id(), result.considered(), result.fitting(),
                result.shown(), speed.bandwidthEfficiency(), speed.prefillMfu(), speed.trainingMfu(), speed.trainTokens());
        List<Configuration> rows = new ArrayList<>();
        int rank = 1;
        for (Recommendation r : result.rows()) {
            rows.add(configuration(rank++, r));
        }
        Map<String, Long> components = MemoryView.of(sample, null, dev.llmplan.engine.ErrorBand.NONE).document().components();
        return new Doc(Documents.SCHEMA_VERSION, Docs.model(sample), Docs.workload(sample), components, search, rows,
                Words.cli(result.suggestions()), Words.cli(result.notes()), Words.cli(sample.assumptions()));
    }

    private Configuration configuration(int rank, Recommendation r) {
        FitResult f = r.fit();
        List<CardUse> cards = f.cards().stream()
                .map(c -> new CardUse(c.gpu().id(), c.used().value(), c.capacity().value(), c.layers())).toList();
        Speed s = r.speed();
        OffloadPlan o = f.offload();
        return new Configuration(rank, f.hardware().label(), f.hardware().gpuCount(), f.hardware().nodes(), f.kind().id(),
                Words.cli(f.strategy()), f.verdict().label(), f.maxUsedBytes(), f.cards().get(0).capacity().value(),
                Docs.round1(f.minHeadroomFraction() * 100), MemoryView.bandOf(f), cards, s.decodeTokensPerS(),
                training() ? null : s.decodePerSequence(f.sequences()), training() ? null : f.sequences(), s.prefillTokensPerS(),
                s.stepSeconds(), s.tokensPerStep() == 0 ? null : s.tokensPerStep(), s.totalSeconds(), r.costUsd(),
                r.costAmount(), currency.code(), r.cost() == null ? null : r.cost().converted(), r.costBasis(), r.costUnknown(), o == null ? null : o.hostLayers(), f.hostBytes() > 0 ? f.hostBytes() : null,
                Words.cli(f.notes()));
    }

    /** Rows for the table and Markdown. */
    @Override
    public Table rows(Units u) {
        Table t = training()
                ? new Table(">#", "hardware", "strategy", ">per GPU", ">headroom", ">step", ">total time", ">cost")
                : new Table(">#", "hardware", "strategy", ">per GPU", ">headroom", ">decode tok/s", ">prefill tok/s", ">cost");
        int rank = 1;
        for (Recommendation r : result.rows()) {
            String used = u.format(r.fit().maxUsedBytes()) + " / " + Units.number(u.of(r.fit().cards().get(0).capacity()));
            String head = Fmt.format("%.1f%%", r.fit().minHeadroomFraction() * 100);
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

    /** CSV for machines: raw numbers (bytes, percent, tokens/s, seconds, USD, the listing's currency), empty when unknown. */
    @Override
    public Table csv(Units units) {
        Table t = new Table("rank", "hardware", "gpus", "strategy", "perGpuUsedBytes", "capacityBytes", "headroomPercent",
                "decodeTokensPerSecond", "prefillTokensPerSecond", "stepSeconds", "totalSeconds", "costUsd", "costBasis",
                "cost", "currency", "costConverted", "decodeTokensPerSecondPerSequence");
        int rank = 1;
        for (Recommendation r : result.rows()) {
            Speed s = r.speed();
            t.row(rank++, r.fit().hardware().label(), r.fit().hardware().gpuCount(), r.fit().kind().id(),
                    r.fit().maxUsedBytes(), r.fit().cards().get(0).capacity().value(),
                    raw(r.fit().minHeadroomFraction() * 100), raw(s.decodeTokensPerS()), raw(s.prefillTokensPerS()),
                    raw(s.stepSeconds()), raw(s.totalSeconds()), raw(r.costUsd()), r.costBasis(), raw(r.costAmount()),
                    currency.code(), r.cost() == null ? "" : String.valueOf(r.cost().converted()),
                    raw(s.decodePerSequence(r.fit().sequences())));
        }
        return t;
    }

    private static String raw(Double v) {
        return v == null || !Double.isFinite(v) ? "" : Fmt.format("%.4g", v);
    }

    @Override
    public Styled text(Units u) {
        Styled sb = new Styled();
        sb.append(sample.model().name()).append(Docs.modelMarks(sample.model())).append(" · ")
                .append(Docs.workloadLine(sample, false)).append('\n');
        String addOns = Docs.addOns(sample, u);
        if (addOns != null) {
            sb.append("Included in the per-GPU figures (one GPU's estimate): ").append(addOns).append('\n');
        }
        if (result.rows().isEmpty()) {
            sb.append("Nothing in the catalog fits (").append(result.considered()).append(" configurations tried).\n");
            if (!result.suggestions().isEmpty()) {
                sb.append("What would fit:\n");
                Words.cli(result.suggestions()).forEach(s -> sb.append("  - ").append(s).append('\n'));
            }
            return sb;
        }
        sb.append(Fmt.format("%d of %d fitting configurations (of %d tried), by %s%s:%n",
                result.shown(), result.fitting(), result.considered(), sort, " (" + basis().heading()
                        + (currency == Currency.USD ? "" : ", in " + currency.code()) + ")"));
        sb.append(rows(u).styled());
        sb.append('\n');
        if (training()) {
            sb.append(Fmt.format("Training time: %s FLOPs per token over peak FP16 x %.1f%% MFU%s.%n",
                    training() && !result.rows().isEmpty() ? sci(result.rows().get(0).speed().flopsPerToken()) : "",
                    speed.trainingMfu() * 100,
                    speed.trainTokens() == null ? Words.cli("; set {trainTokens} for the total") : " for " + sci(speed.trainTokens()) + " tokens"));
        } else {
            int batch = sample.workload().batch();
            sb.append(Fmt.format("Decode: active weights + KV cache read per step at %.0f%% of peak bandwidth; "
                    + "prefill: 2 FLOPs per active parameter at %.1f%% of peak FP16.%n",
                    speed.bandwidthEfficiency() * 100, speed.prefillMfu() * 100));
            sb.append(batch == 1 ? "decode tok/s: one sequence (x replicas where a row serves several)\n"
                    : "decode tok/s: all " + batch + " sequences of the batch together (x replicas where a row serves several);"
                    + " per sequence in --format json (decodeTokensPerSecondPerSequence)\n");
        }
        long hostMax = 0;
        long hostMin = Long.MAX_VALUE;
        for (Recommendation r : result.rows()) {
            hostMax = Math.max(hostMax, r.fit().hostBytes());
            hostMin = Math.min(hostMin, r.fit().hostBytes());
        }
        if (hostMax > 0) {
            // Host memory is the same rule as in fit: with {ram} given, configurations that need more are left out.
            sb.append("Host memory: ").append(hostMin == hostMax ? u.format(hostMax)
                            : Units.number(u.of(hostMin)) + "–" + u.format(hostMax))
                    .append(" per configuration, besides the GPUs\n");
        }
        Words.cli(result.notes()).forEach(n -> sb.append("Note: ").append(n).append('\n'));
        if (result.rows().stream().anyMatch(r -> r.cost() != null && r.cost().converted())) {
            sb.append("Note: ").append(conversionNote(currency)).append('\n');
        }
        sb.append("(per GPU: most-loaded card / capacity in ").append(u.symbol()).append("; unknown speed: -)\n");
        return sb;
    }

    static String cost(Recommendation r) {
        if (r.cost() == null) {
            return "unknown";
        }
        // Hourly prices are a few dollars: cents matter there, not for purchases.
        if (r.basis() == CostBasis.HOURLY) {
            return (r.cost().converted() ? "≈" : "") + r.cost().currency().symbol()
                    + Fmt.format("%,.2f/h", r.cost().amount());
        }
        return r.cost().text();
    }

    /** What a "≈" amount is: the catalog's price in the other currency, converted at the stated rate. */
    public static String conversionNote(Currency c) {
        String rate = Fmt.format("%.0f JPY/USD", dev.llmplan.engine.Price.JPY_PER_USD);
        return c == Currency.USD
                ? "≈ marks a price the catalog has only in yen (the survey's figure), converted at " + rate
                : "≈ marks a price the catalog has only in USD, converted at " + rate
                        + "; amounts without it are the survey's yen";
    }

    static String rate(Double v) {
        if (v == null) {
            return "-";
        }
        return v >= 100 ? Fmt.format("%,.0f", v) : Fmt.format("%.1f", v);
    }

    /** Seconds as s, min, h or days. */
    public static String duration(Double s) {
        if (s == null) {
            return "-";
        }
        if (s < 120) {
            return Fmt.format("%.2f s", s);
        }
        if (s < 7200) {
            return Fmt.format("%.1f min", s / 60);
        }
        if (s < 3 * 86400) {
            return Fmt.format("%.1f h", s / 3600);
        }
        return Fmt.format("%,.1f days", s / 86400);
    }

    static String sci(double v) {
        return Fmt.format("%.3g", v);
    }
}
