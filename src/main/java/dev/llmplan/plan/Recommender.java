package dev.llmplan.plan;

import dev.llmplan.engine.Fmt;
import dev.llmplan.engine.Bytes;
import dev.llmplan.engine.Currency;
import dev.llmplan.engine.Price;
import dev.llmplan.engine.Estimate;
import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.LlmplanException;
import dev.llmplan.engine.MemoryEstimator;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.MultiGpuSplit;
import dev.llmplan.engine.SystemSpec;
import dev.llmplan.engine.TrainingOptions;
import dev.llmplan.engine.WeightFormat;
import dev.llmplan.engine.Workload;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code recommend}: every catalog GPU at 1, 2, 4 and 8 per node (and whole systems), more nodes
 * only where one node is not enough, times the strategies that apply; keeps what fits and ranks
 * by cost, then speed, then headroom. Estimates are computed once per (GPU count, strategy
 * family) since memory parts do not depend on which card they land on.
 */
public final class Recommender {
    /** Cards per node tried for loose GPUs (a common 8-GPU server at most). */
    public static final int[] COUNTS = {1, 2, 4, 8};
    public static final int GPUS_PER_NODE = 8;
    private static final long HUGE_RAM = 1L << 50;

    private final ModelSpec model;
    private final Workload workload;
    private final RecommendRequest request;
    private final Map<String, Estimate> estimates = new HashMap<>();
    private int considered;

    private Recommender(ModelSpec model, Workload workload, RecommendRequest request) {
        this.model = model;
        this.workload = workload;
        this.request = request;
    }

    public static RecommendResult recommend(ModelSpec model, Workload w, Collection<GpuSpec> gpus,
                                            Collection<SystemSpec> systems, RecommendRequest r) {
        RecommendResult result = new Recommender(model, w, r).search(gpus, systems);
        if (!result.rows().isEmpty()) {
            return result;
        }
        List<String> suggestions = suggest(model, w, gpus, systems, r);
        return new RecommendResult(result.rows(), result.considered(), 0, 0, suggestions, result.notes());
    }

    private RecommendResult search(Collection<GpuSpec> gpus, Collection<SystemSpec> systems) {
        List<Recommendation> fitting = new ArrayList<>();
        for (GpuSpec g : gpus) {
            if (!wanted(g)) {
                continue;
            }
            // Apple silicon and Jetson modules are whole computers: one per configuration.
            boolean single = g.unifiedMemory();
            boolean fitsOnOneNode = false;
            for (int count : COUNTS) {
                int devices = count * g.devicesPerCard();
                if (single && count > 1 || devices > GPUS_PER_NODE || over(devices)) {
                    continue;
                }
                fitsOnOneNode |= tryAll(HardwareSpec.of(g, count), fitting);
            }
            if (!fitsOnOneNode && "datacenter".equals(g.category())) {
                // A node holds 8 devices: 4 two-GCD MI250X cards, as in Frontier's and LUMI's nodes.
                int cardsPerNode = Math.max(1, GPUS_PER_NODE / g.devicesPerCard());
                for (int nodes = 2; nodes <= RecommendRequest.MAX_NODES && !over(nodes * GPUS_PER_NODE); nodes *= 2) {
                    HardwareSpec hw = new HardwareSpec(List.of(new HardwareSpec.Group(g, cardsPerNode, null)), nodes);
                    if (tryAll(hw, fitting)) {
                        break;
                    }
                }
            }
        }
        for (SystemSpec s : systems) {
            if (!wanted(s.gpu())) {
                continue;
            }
            // Only datacenter systems scale out over nodes: nobody clusters home rigs over Ethernet.
            int maxNodes = "datacenter".equals(s.gpu().category()) ? RecommendRequest.MAX_NODES : 1;
            for (int nodes = 1; nodes <= maxNodes && !over(nodes * s.count()); nodes *= 2) {
                if (tryAll(HardwareSpec.of(s, nodes), fitting)) {
                    break;
                }
            }
        }
        int fitCount = fitting.size();
        Comparator<Recommendation> order = comparator(request.sort());
        Map<String, Recommendation> best = new LinkedHashMap<>();
        for (Recommendation rec : fitting) {
            best.merge(rec.fit().hardware().label(), rec, (a, b) -> order.compare(a, b) <= 0 ? a : b);
        }
        List<Recommendation> rows = new ArrayList<>(best.values());
        rows.sort(order);
        int shown = Math.min(request.top(), rows.size());
        List<String> notes = new ArrayList<>();
        Map<String, Integer> unknown = new java.util.TreeMap<>();
        rows.stream().filter(r -> r.cost() == null).forEach(r -> unknown.merge(r.costUnknown(), 1, Integer::sum));
        if (request.plan().hostRam() != null && request.plan().hostRam().value() < HUGE_RAM) {
            notes.add(Fmt.format("configurations needing more host memory than {ram} (%.2f GiB) are left out, as fit judges"
                    + " them", request.plan().hostRam().gib()));
        }
        if (!unknown.isEmpty()) {
            List<String> why = new ArrayList<>();
            unknown.forEach((reason, n) -> why.add(reason + " (" + n + ")"));
            notes.add("configurations whose cost is unknown rank last: " + String.join(", ", why));
        }
        return new RecommendResult(rows.subList(0, shown), considered, fitCount, shown, List.of(), notes);
    }

    /**
     * Tries every strategy on {@code hw}; adds the fitting ones; true when any fitted at the high end of its error band
     * (before the budget and other filters): a tight configuration is not recommended, so the search goes on to more
     * GPUs or nodes.
     */
    private boolean tryAll(HardwareSpec hw, List<Recommendation> out) {
        boolean any = false;
        for (Strategy s : strategies(hw)) {
            considered++;
            FitResult f = Placement.place(estimate(hw.gpuCount(), s), hw, request.plan().withStrategy(s));
            if (f.verdict() != Verdict.FITS) {
                continue; // tight: hardware to buy should fit even at the high end of the error band
            }
            any = true;
            Speed speed = SpeedModel.of(f, request.speed());
            CostBasis basis = CostBasis.of(request.rent(), workload.mode().isTraining(), request.speed().trainTokens());
            Price.Money cost = basis.cost(f, speed, request.currency());
            if (request.budget() != null && (cost == null || cost.amount() > request.budget())) {
                continue;
            }
            Price.Money usd = request.currency() == Currency.USD ? cost : basis.cost(f, speed, Currency.USD);
            out.add(new Recommendation(f, speed, cost, usd == null ? null : usd.amount(), basis,
                    cost == null ? basis.unknownReason(f, speed) : null));
        }
        return any;
    }

    private List<Strategy> strategies(HardwareSpec hw) {
        if (hw.gpuCount() == 1) {
            return List.of(Strategy.SINGLE);
        }
        if (request.plan().strategy() != null) {
            return List.of(request.plan().strategy());
        }
        if (workload.mode().isTraining()) {
            return List.of(Strategy.DATA, Strategy.TENSOR);
        }
        // What the runtime does by itself: llama.cpp and transformers (device_map="auto") split layers,
        // the others try tensor parallel first; {parallel} asks for another strategy explicitly.
        return workload.effectiveRuntime().multiGpuSplit() == MultiGpuSplit.LAYERS ? List.of(Strategy.LAYERS)
                : List.of(Strategy.TENSOR, Strategy.LAYERS);
    }

    /**
     * One estimate per GPU count and strategy family: data-parallel training shards by ZeRO over
     * all GPUs (stage 3 unless --zero says otherwise); model-parallel training is estimated for
     * one replica and divided by the placement.
     */
    private Estimate estimate(int gpus, Strategy s) {
        boolean training = workload.mode().isTraining();
        int n = training && s != Strategy.DATA ? 1 : gpus;
        String key = n + "/" + (training ? s : "-");
        Estimate e = estimates.get(key);
        if (e == null) {
            Workload w = workload.withGpuCount(n);
            if (training && s == Strategy.DATA && n > 1 && w.training().zeroStage() == null) {
                w = withZero(w, 3);
            }
            e = MemoryEstimator.estimate(model, w);
            estimates.put(key, e);
        }
        return e;
    }

    static Workload withZero(Workload w, int stage) {
        TrainingOptions t = w.training();
        return w.withTraining(t.withZeroStage(stage));
    }

    private boolean over(int gpus) {
        return gpus > HardwareParser.MAX_GPUS || request.maxGpus() != null && gpus > request.maxGpus();
    }

    private boolean wanted(GpuSpec g) {
        if (request.vendor() != null && !request.vendor().equalsIgnoreCase(g.vendor())) {
            return false;
        }
        return switch (request.category()) {
            case CONSUMER -> g.isConsumer();
            case DATACENTER -> "datacenter".equals(g.category());
            case ANY -> true;
        };
    }

    public static Comparator<Recommendation> comparator(SortKey key) {
        Comparator<Recommendation> cost = Comparator.comparing(Recommendation::costAmount,
                Comparator.nullsLast(Comparator.naturalOrder()));
        Comparator<Recommendation> speed = Comparator.comparing(Recommendation::speedValue,
                Comparator.nullsLast(Comparator.reverseOrder()));
        Comparator<Recommendation> headroom = Comparator.comparingDouble((Recommendation r) -> -r.fit().minHeadroomFraction());
        Comparator<Recommendation> gpus = Comparator.comparingInt(r -> r.fit().hardware().gpuCount());
        Comparator<Recommendation> label = Comparator.comparing(r -> r.fit().hardware().label());
        Comparator<Recommendation> c = switch (key) {
            case COST -> cost.thenComparing(speed).thenComparing(headroom);
            case SPEED -> speed.thenComparing(cost).thenComparing(headroom);
            case HEADROOM -> headroom.thenComparing(cost).thenComparing(speed);
            case GPUS -> gpus.thenComparing(cost).thenComparing(speed).thenComparing(headroom);
        };
        return c.thenComparing(label);
    }

    /** When nothing fits: the cheapest plan under a smaller format, a shorter context, or with offload. */
    private static List<String> suggest(ModelSpec model, Workload w, Collection<GpuSpec> gpus,
                                        Collection<SystemSpec> systems, RecommendRequest r) {
        List<String> out = new ArrayList<>();
        RecommendRequest one = r.withTop(1);
        if (!w.mode().isTraining()) {
            for (String q : w.format().isGguf() ? List.of("q4_k_m", "q2_k") : List.of("int8", "int4")) {
                WeightFormat f = WeightFormat.parse(q, null);
                if (f.blockBits() < w.format().blockBits()) {
                    first(model, w.withFormat(f), gpus, systems, one).ifPresent(rec ->
                            out.add("{quant} " + q + ": fits on " + describe(rec)));
                    if (!out.isEmpty()) {
                        break;
                    }
                }
            }
        }
        Integer ctx = w.context();
        int current = ctx != null ? ctx : Workload.DEFAULT_CONTEXT;
        for (int c = current / 2; c >= 512; c /= 2) {
            var found = first(model, w.withContext(c), gpus, systems, one);
            if (found.isPresent()) {
                out.add("{context} " + c + ": fits on " + describe(found.get()));
                break;
            }
        }
        if (out.isEmpty() && !w.mode().isTraining() && !w.format().isGguf()) {
            // Neither change alone is enough: try the smallest format with shorter contexts.
            WeightFormat int4 = WeightFormat.parse("int4", null);
            for (int c = current / 2; c >= 512 && int4.blockBits() < w.format().blockBits(); c /= 2) {
                var found = first(model, w.withFormat(int4).withContext(c), gpus, systems, one);
                if (found.isPresent()) {
                    out.add("{quant} int4 {context} " + c + ": fits on " + describe(found.get()));
                    break;
                }
            }
        }
        if (!w.mode().isTraining() && r.plan().hostRam() == null) {
            RecommendRequest offload = one.withPlan(r.plan().withRam(Bytes.of(HUGE_RAM)));
            first(model, w, gpus, systems, offload).ifPresent(rec -> {
                OffloadPlan p = rec.fit().offload();
                out.add(p == null ? "offload: fits on " + describe(rec)
                        : Fmt.format("offload ({ram} %.0fGiB): %s with %d of %d layers in host RAM",
                        Math.ceil(rec.fit().host().gib()), describe(rec), p.hostLayers(), p.totalLayers()));
            });
        }
        if (w.mode().isTraining()) {
            out.add("for training: try {mode} qlora or lora, {zero} 3 with {offload} cpu, or {gradCheckpointing} full");
        }
        if (r.maxGpus() != null || r.budget() != null || r.vendor() != null
                || r.plan().policy().margin() != HeadroomPolicy.DEFAULT_MARGIN || r.category() != RecommendRequest.Category.ANY) {
            out.add((out.isEmpty() ? "" : "or ") + "relax the filters (GPU count, budget, vendor, minimum headroom, "
                    + "consumer or datacenter only)");
        }
        return out;
    }

    private static java.util.Optional<Recommendation> first(ModelSpec model, Workload w, Collection<GpuSpec> gpus,
                                                             Collection<SystemSpec> systems, RecommendRequest r) {
        try {
            RecommendResult res = new Recommender(model, w, r).search(gpus, systems);
            return res.rows().stream().findFirst();
        } catch (LlmplanException e) {
            return java.util.Optional.empty();
        }
    }

    private static String describe(Recommendation rec) {
        String cost = rec.cost() == null ? "price unknown" : rec.cost().text();
        Double tok = rec.speed().decodeTokensPerS();
        return rec.fit().hardware().label() + " (" + cost + (tok == null ? "" : Fmt.format(", ~%.1f tok/s", tok)) + ")";
    }
}
