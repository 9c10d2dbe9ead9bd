package dev.llmplan.plan;

import dev.llmplan.engine.Currency;

/**
 * Filters and ranking of a hardware search. Null filters are off; {@code rent} ranks by hourly
 * price (times training time when known) instead of purchase price. Costs are ranked, shown and
 * budgeted in {@code currency}.
 */
public record RecommendRequest(SortKey sort, int top, Integer maxGpus, Double budget, String vendor,
                               Category category, boolean rent, PlanOptions plan,
                               SpeedAssumptions speed, Currency currency) {
    public RecommendRequest {
        currency = currency == null ? Currency.USD : currency;
    }

    /** In USD. */
    public RecommendRequest(SortKey sort, int top, Integer maxGpus, Double budget, String vendor,
                            Category category, boolean rent, PlanOptions plan, SpeedAssumptions speed) {
        this(sort, top, maxGpus, budget, vendor, category, rent, plan, speed, Currency.USD);
    }

    public enum Category { ANY, CONSUMER, DATACENTER }

    /** Largest node count tried when one node is not enough (128 nodes of 8 = 1024 GPUs). */
    public static final int MAX_NODES = 128;

    public static RecommendRequest defaults() {
        return new RecommendRequest(SortKey.COST, 10, null, null, null, Category.ANY, false, PlanOptions.AUTO,
                SpeedAssumptions.DEFAULTS);
    }

    public RecommendRequest withPlan(PlanOptions p) {
        return new RecommendRequest(sort, top, maxGpus, budget, vendor, category, rent, p, speed, currency);
    }

    public RecommendRequest withTop(int t) {
        return new RecommendRequest(sort, t, maxGpus, budget, vendor, category, rent, plan, speed, currency);
    }
}
